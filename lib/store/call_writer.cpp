#include "vapidash/store/call_writer.hpp"

#include <string>

#include "vapidash/model/call_merge.hpp"
#include "vapidash/store/call_reader.hpp"
#include "vapidash/wire/call_json.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::sqlite {

using namespace std::string_literals;

CallWriter::CallWriter(Database& db)
    : db_(db),
      insert_call_(db.prepare(
          "INSERT INTO calls ("s + call_columns +
          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
          " ?20)")),
      update_call_(db.prepare(
          "UPDATE calls SET phone_number = ?3, status = ?4, started_at = ?5, ended_at = ?6, updated_at = ?8,"
          " listen_url = ?9, control_url = ?10, ended_reason = ?11, duration_seconds = ?12, cost = ?13, "
          "summary = ?14,"
          " recording_url = ?15, stereo_recording_url = ?16, transcript_text = ?17, notes = ?18,"
          " disposition = ?19, tags = ?20 WHERE client_id = ?1 AND id = ?2")),
      find_timeline_(db.prepare("SELECT id FROM timelines WHERE client_id = ?1 AND call_id = ?2")),
      insert_timeline_(db.prepare("INSERT INTO timelines (client_id, call_id) VALUES (?1, ?2)")),
      insert_event_(db.prepare(
          "INSERT INTO timeline_events (timeline_id, status, created_at, message_type, payload_form, payload)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")),
      insert_delivery_(
          db.prepare("INSERT OR IGNORE INTO delivery_keys (timeline_id, digest) VALUES (?1, ?2)")),
      insert_line_(
          db.prepare("INSERT INTO transcript_lines (timeline_id, role, text, at) VALUES (?1, ?2, ?3, ?4)")),
      list_lines_(
          db.prepare("SELECT role, text, at FROM transcript_lines WHERE timeline_id = ?1 ORDER BY id")),
      update_report_transcript_(
          db.prepare("UPDATE calls SET report_transcript = ?3 WHERE client_id = ?1 AND id = ?2")),
      pruner_(db) {}

CallUpdateOutcome CallWriter::apply(const CallUpdate& update) {
  const auto now = now_utc();
  switch (update.source) {
    case UpdateSource::webhook:
      return apply_webhook(update, now);
    case UpdateSource::annotation:
      return apply_annotations(update, format_timestamp(now));
    case UpdateSource::debug:
      break;
  }
  return apply_debug(update, now);
}

CallUpdateOutcome CallWriter::apply_debug(const CallUpdate& update, timestamp now) {
  const auto now_text = format_timestamp(now);
  const auto call_id = update.call_id.empty() ? unique_debug_id(update.client_id, now) : update.call_id;
  auto existing = find_call(db_, update.client_id, call_id);

  CallUpdateOutcome outcome;
  outcome.updated = existing.has_value();
  outcome.changed = true;
  if (existing) {
    outcome.call = std::move(*existing);
    if (update.status) outcome.call.status = *update.status;
    if (update.phone_number) outcome.call.phone_number = *update.phone_number;
    outcome.call.updated_at = now_text;
    this->update(outcome.call);
  } else {
    outcome.call.client_id = update.client_id;
    outcome.call.id = call_id;
    outcome.call.phone_number = update.phone_number.value_or(default_phone_number);
    outcome.call.status = update.status.value_or(default_status);
    outcome.call.started_at = now_text;
    outcome.call.created_at = now_text;
    outcome.call.updated_at = now_text;
    insert(outcome.call);
  }
  log_update_event(outcome, EventRecord{update.client_id, call_id, outcome.call.status, update.event_payload},
                   now_text);
  return outcome;
}

CallUpdateOutcome CallWriter::apply_webhook(const CallUpdate& update, timestamp now) {
  const auto now_text = format_timestamp(now);
  if (update.timeline_only) return log_on_existing_call(update, now_text);
  CallUpdateOutcome outcome;
  if (update.dedupe_key && !record_delivery(update.client_id, update.call_id, *update.dedupe_key)) {
    outcome.duplicate = true;
    outcome.call.client_id = update.client_id;
    outcome.call.id = update.call_id;
    return outcome;
  }
  auto existing = find_call(db_, update.client_id, update.call_id);
  outcome.updated = existing.has_value();
  outcome.call = existing ? *existing : new_webhook_call(update, now_text);
  merge_webhook_update(outcome.call, update, now_text);
  const bool report_lines = update.report && !update.report->messages.empty();
  outcome.changed = !existing || outcome.call != *existing || update.transcript_line || report_lines;
  if (outcome.changed) outcome.call.updated_at = now_text;
  if (!existing) {
    insert(outcome.call);
  } else if (outcome.changed) {
    this->update(outcome.call);
  }
  if (update.transcript_line) append_line(outcome.call, *update.transcript_line);
  if (report_lines) store_report_transcript(outcome.call, *update.report);
  log_update_event(outcome, webhook_event(update, outcome.call), now_text);
  outcome.transcript = live_transcript(update);
  return outcome;
}

// The live line with every final line stored so far, read inside the write so that the text dashboards get
// is exactly what the call holds at this commit.
std::optional<LiveTranscript> CallWriter::live_transcript(const CallUpdate& update) {
  const auto& line = update.transcript_line ? update.transcript_line : update.partial_line;
  if (!line) return std::nullopt;
  LiveTranscript live{*line, update.transcript_line.has_value(), {}};
  auto& lines = list_lines_.reset().bind(1, timeline_of(update.client_id, update.call_id));
  while (lines.step()) live.finals.push_back(read_transcript_line(lines));
  lines.reset();
  return live;
}

// The update's call as stored, or, when there is none, an outcome that says so.
CallUpdateOutcome CallWriter::on_existing_call(const CallUpdate& update) {
  CallUpdateOutcome outcome;
  auto existing = find_call(db_, update.client_id, update.call_id);
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
  this->update(outcome.call);
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
  if (update.dedupe_key && !record_delivery(update.client_id, update.call_id, *update.dedupe_key)) {
    outcome.duplicate = true;
    return outcome;
  }
  log_update_event(outcome, webhook_event(update, outcome.call), now);
  return outcome;
}

// False when this call already has a delivery with this key: the write is a re-delivery.
bool CallWriter::record_delivery(const std::string& client_id, const std::string& call_id,
                                 const std::string& key) {
  insert_delivery_.reset().bind(1, timeline_of(client_id, call_id)).bind(2, key).run();
  return db_.changes() == 1;
}

// The key every row of this call's timeline hangs off, created with the call's first timeline row.
std::int64_t CallWriter::timeline_of(const std::string& client_id, const std::string& call_id) {
  auto& found = find_timeline_.reset().bind(1, client_id).bind(2, call_id);
  const bool exists = found.step();
  const auto id = exists ? found.integer(0) : 0;
  found.reset();
  if (exists) return id;
  insert_timeline_.reset().bind(1, client_id).bind(2, call_id).run();
  return db_.last_insert_rowid();
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
  outcome.event = insert_event(record, now);
  outcome.status_event_id = outcome.event->id;
}

StatusEvent CallWriter::log_event(const EventRecord& record) {
  return insert_event(record, format_timestamp(now_utc()));
}

// Two creates in the same second must be two calls: the second gets "-2", the third "-3", and so on.
std::string CallWriter::unique_debug_id(const std::string& client_id, timestamp now) {
  const auto base = "debug-" + std::to_string(unix_seconds(now));
  if (!find_call(db_, client_id, base)) return base;
  for (int suffix = 2;; ++suffix) {
    auto candidate = base + "-" + std::to_string(suffix);
    if (!find_call(db_, client_id, candidate)) return candidate;
  }
}

namespace {
// Binds every column of call_columns in order, as ?1 … ?20.
void bind_call(Statement& stmt, const Call& call) {
  stmt.bind(1, call.client_id)
      .bind(2, call.id)
      .bind(3, call.phone_number)
      .bind(4, call.status)
      .bind(5, call.started_at)
      .bind(6, call.ended_at)
      .bind(7, call.created_at)
      .bind(8, call.updated_at)
      .bind(9, call.listen_url)
      .bind(10, call.control_url)
      .bind(11, call.ended_reason)
      .bind(12, call.duration_seconds)
      .bind(13, call.cost)
      .bind(14, call.summary)
      .bind(15, call.recording_url)
      .bind(16, call.stereo_recording_url)
      .bind(17, call.transcript_text)
      .bind(18, call.notes)
      .bind(19, call.disposition)
      .bind(20, call.tags.empty() ? std::nullopt : std::optional<std::string>(dump_json(json(call.tags))));
}
}  // namespace

void CallWriter::insert(const Call& call) {
  bind_call(insert_call_.reset(), call);
  insert_call_.run();
}

void CallWriter::update(const Call& call) {
  bind_call(update_call_.reset(), call);
  update_call_.run();
}

void CallWriter::append_line(const Call& call, const TranscriptLine& line) {
  insert_line_.reset()
      .bind(1, timeline_of(call.client_id, call.id))
      .bind(2, line.role)
      .bind(3, line.text)
      .bind(4, line.at)
      .run();
}

void CallWriter::store_report_transcript(const Call& call, const CallReport& report) {
  update_report_transcript_.reset()
      .bind(1, call.client_id)
      .bind(2, call.id)
      .bind(3, dump_json(json(report.messages)))
      .run();
}

StatusEvent CallWriter::insert_event(const EventRecord& record, const std::string& created_at) {
  insert_event_.reset()
      .bind(1, timeline_of(record.client_id, record.call_id))
      .bind(2, record.status)
      .bind(3, created_at)
      .bind(4, record.message_type)
      .bind(5, static_cast<std::int64_t>(record.payload_form))
      .bind(6, dump_json(record.payload))
      .run();
  return StatusEvent{db_.last_insert_rowid(), record.client_id,   record.call_id, record.status, created_at,
                     record.payload,          record.payload_form};
}

}  // namespace vapidash::sqlite
