#include "vapidash/store/call_writer.hpp"

#include <string>

#include "vapidash/model/call_merge.hpp"

namespace vapidash {

// The clock is read once the call is locked, so a write that waited for another server's never stamps the
// call with an earlier time than that one did.
CallUpdateOutcome CallWriter::apply(const CallUpdate& update) {
  switch (update.source) {
    case UpdateSource::webhook:
      rows_.lock_call(update.client_id, update.call_id);
      return apply_webhook(update, now_utc());
    case UpdateSource::annotation:
      rows_.lock_call(update.client_id, update.call_id);
      return apply_annotations(update, format_timestamp(now_utc()));
    case UpdateSource::debug:
      break;
  }
  return apply_debug(update, now_utc());
}

CallUpdateOutcome CallWriter::apply_debug(const CallUpdate& update, timestamp now) {
  const auto now_text = format_timestamp(now);
  std::string call_id = update.call_id;
  if (call_id.empty()) {
    call_id = unique_debug_id(update.client_id, now);
  } else {
    rows_.lock_call(update.client_id, call_id);
  }
  auto existing = rows_.find_call(update.client_id, call_id);

  CallUpdateOutcome outcome;
  outcome.updated = existing.has_value();
  outcome.changed = true;
  if (existing) {
    outcome.call = std::move(*existing);
    if (update.status) outcome.call.status = *update.status;
    if (update.phone_number) outcome.call.phone_number = *update.phone_number;
    outcome.call.updated_at = now_text;
    rows_.update(outcome.call);
  } else {
    outcome.call.client_id = update.client_id;
    outcome.call.id = call_id;
    outcome.call.phone_number = update.phone_number.value_or(default_phone_number);
    outcome.call.status = update.status.value_or(default_status);
    outcome.call.started_at = now_text;
    outcome.call.created_at = now_text;
    outcome.call.updated_at = now_text;
    rows_.insert(outcome.call);
  }
  log_update_event(outcome, EventRecord{update.client_id, call_id, outcome.call.status, update.event_payload},
                   now_text);
  return outcome;
}

CallUpdateOutcome CallWriter::apply_webhook(const CallUpdate& update, timestamp now) {
  const auto now_text = format_timestamp(now);
  if (update.timeline_only) return log_on_existing_call(update, now_text);
  CallUpdateOutcome outcome;
  if (update.dedupe_key && !rows_.record_delivery(update.client_id, update.call_id, *update.dedupe_key)) {
    outcome.duplicate = true;
    outcome.call.client_id = update.client_id;
    outcome.call.id = update.call_id;
    return outcome;
  }
  auto existing = rows_.find_call(update.client_id, update.call_id);
  outcome.updated = existing.has_value();
  outcome.call = existing ? *existing : new_webhook_call(update, now_text);
  merge_webhook_update(outcome.call, update, now_text);
  const bool report_lines = update.report && !update.report->messages.empty();
  outcome.changed = !existing || outcome.call != *existing || update.transcript_line || report_lines;
  if (outcome.changed) outcome.call.updated_at = now_text;
  if (!existing) {
    rows_.insert(outcome.call);
  } else if (outcome.changed) {
    rows_.update(outcome.call);
  }
  if (update.transcript_line) rows_.append_line(outcome.call, *update.transcript_line);
  if (report_lines) rows_.store_report_transcript(outcome.call, update.report->messages);
  log_update_event(outcome, webhook_event(update, outcome.call), now_text);
  outcome.transcript = live_transcript(update);
  return outcome;
}

// The live line with every final line stored so far, read inside the write so that the text dashboards get
// is exactly what the call holds at this commit.
std::optional<LiveTranscript> CallWriter::live_transcript(const CallUpdate& update) {
  const auto& line = update.transcript_line ? update.transcript_line : update.partial_line;
  if (!line) return std::nullopt;
  return LiveTranscript{*line, update.transcript_line.has_value(),
                        rows_.final_lines(update.client_id, update.call_id)};
}

// The update's call as stored, or, when there is none, an outcome that says so.
CallUpdateOutcome CallWriter::on_existing_call(const CallUpdate& update) {
  CallUpdateOutcome outcome;
  auto existing = rows_.find_call(update.client_id, update.call_id);
  outcome.call_missing = !existing;
  outcome.updated = existing.has_value();
  if (existing) {
    outcome.call = std::move(*existing);
  } else {
    outcome.call.client_id = update.client_id;
    outcome.call.id = update.call_id;
  }
  return outcome;
}

// A supervisor's notes, disposition and tags, with an entry on the call's timeline saying what changed.
CallUpdateOutcome CallWriter::apply_annotations(const CallUpdate& update, const std::string& now) {
  auto outcome = on_existing_call(update);
  if (outcome.call_missing) return outcome;
  const auto& annotations = update.annotations.value();
  const auto clearable = [](const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
  };
  if (annotations.notes) outcome.call.notes = clearable(*annotations.notes);
  if (annotations.disposition) outcome.call.disposition = clearable(*annotations.disposition);
  if (annotations.tags) outcome.call.tags = *annotations.tags;
  outcome.changed = true;
  outcome.call.updated_at = now;
  rows_.update(outcome.call);
  log_update_event(outcome,
                   EventRecord{update.client_id, update.call_id, update.event_status.value_or("annotated"),
                               update.event_payload},
                   now);
  return outcome;
}

// The call is checked before the delivery is recorded, so a message for a call that does not exist yet
// leaves no key behind and is logged if it is delivered again once the call exists.
CallUpdateOutcome CallWriter::log_on_existing_call(const CallUpdate& update, const std::string& now) {
  auto outcome = on_existing_call(update);
  if (outcome.call_missing) return outcome;
  if (update.dedupe_key && !rows_.record_delivery(update.client_id, update.call_id, *update.dedupe_key)) {
    outcome.duplicate = true;
    return outcome;
  }
  log_update_event(outcome, webhook_event(update, outcome.call), now);
  return outcome;
}

// The timeline entry of a webhook: its own status when it names one, else the call's.
EventRecord CallWriter::webhook_event(const CallUpdate& update, const Call& call) {
  return EventRecord{update.client_id,
                     update.call_id,
                     update.event_status.value_or(call.status),
                     update.event_payload,
                     update.event_payload_form,
                     update.message_type};
}

void CallWriter::log_update_event(CallUpdateOutcome& outcome, const EventRecord& record,
                                  const std::string& now) {
  outcome.event = rows_.insert_event(record, now);
  outcome.status_event_id = outcome.event->id;
}

StatusEvent CallWriter::log_event(const EventRecord& record) {
  rows_.lock_call(record.client_id, record.call_id);
  return rows_.insert_event(record, format_timestamp(now_utc()));
}

// Two creates in the same second must be two calls: the second gets "-2", the third "-3", and so on. The
// base id is locked, so two servers creating in the same second take turns.
std::string CallWriter::unique_debug_id(const std::string& client_id, timestamp now) {
  const auto base = "debug-" + std::to_string(unix_seconds(now));
  rows_.lock_call(client_id, base);
  if (!rows_.find_call(client_id, base)) return base;
  for (int suffix = 2;; ++suffix) {
    auto candidate = base + "-" + std::to_string(suffix);
    if (!rows_.find_call(client_id, candidate)) return candidate;
  }
}

}  // namespace vapidash
