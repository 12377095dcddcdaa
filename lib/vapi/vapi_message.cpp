#include "vapidash/vapi/vapi_message.hpp"

#include "vapidash/crypto/digest.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/identifier.hpp"
#include "vapidash/model/status.hpp"
#include "vapidash/vapi/compact_message.hpp"
#include "vapidash/vapi/json_fields.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

using vapi::number_at;
using vapi::object_at;
using vapi::text_at;
using vapi::time_at;

namespace {

const json empty_object = json::object();

const json& object_or_empty(const json& parent, const char* key) {
  const auto* value = object_at(parent, key);
  return value != nullptr ? *value : empty_object;
}

// The caller's number: the message's customer first, the call's as a fallback.
std::optional<std::string> customer_number(const json& message, const json& call) {
  if (auto number = text_at(object_or_empty(message, "customer"), "number")) return number;
  return text_at(object_or_empty(call, "customer"), "number");
}

// Report data lives under artifact/analysis (current) or at the top level (legacy): read both.
std::optional<std::string> first_text(const json& preferred, const json& legacy, const char* key) {
  if (auto text = text_at(preferred, key)) return text;
  return text_at(legacy, key);
}

// artifact.messages, or the legacy top-level messages when the artifact has none.
const json* report_messages(const json& message, const json& artifact) {
  for (const auto* holder : {&artifact, &message}) {
    const auto it = holder->find("messages");
    if (it != holder->end() && it->is_array() && !it->empty()) return &*it;
  }
  return nullptr;
}

// The spoken lines of a report's messages; system prompts and tool traffic are not conversation.
std::vector<TranscriptLine> report_lines(const json& message, const json& artifact) {
  std::vector<TranscriptLine> lines;
  const auto* messages = report_messages(message, artifact);
  if (messages == nullptr) return lines;
  for (const auto& entry : *messages) {
    auto role = text_at(entry, "role");
    auto text = text_at(entry, "message");
    if (!role || !text || (*role != "user" && *role != "assistant" && *role != "bot")) continue;
    lines.push_back(TranscriptLine{*role == "bot" ? "assistant" : *role, *text, time_at(entry, "time")});
  }
  return lines;
}

// A negative duration is no duration: it reads as absent, like a wrongly typed one.
std::optional<double> duration_at(const json& message, const char* key) {
  const auto value = number_at(message, key);
  return value && *value >= 0 ? value : std::nullopt;
}

std::optional<double> report_duration(const json& message) {
  if (auto seconds = duration_at(message, "durationSeconds")) return seconds;
  if (auto ms = duration_at(message, "durationMs")) return *ms / 1000.0;
  return std::nullopt;
}

CallReport read_report(const json& message) {
  const auto& artifact = object_or_empty(message, "artifact");
  const auto& analysis = object_or_empty(message, "analysis");
  CallReport report;
  report.ended_reason = text_at(message, "endedReason");
  report.summary = first_text(analysis, message, "summary");
  report.transcript_text = first_text(artifact, message, "transcript");
  report.messages = report_lines(message, artifact);
  report.recording_url = first_text(artifact, message, "recordingUrl");
  report.stereo_recording_url = first_text(artifact, message, "stereoRecordingUrl");
  report.cost = number_at(message, "cost");
  report.duration_seconds = report_duration(message);
  return report;
}

// Why a status-update's "status" cannot move a call; empty when it can.
std::string unusable_status(const json& message) {
  const auto it = message.find("status");
  const std::string unchanged = ", so the call is not changed";
  if (it == message.end() || it->is_null()) return "the status-update has no \"status\"" + unchanged;
  if (!it->is_string()) return "\"status\" must be a string, got " + std::string(it->type_name()) + unchanged;
  const auto& status = it->get_ref<const std::string&>();
  if (status_rank(status)) return {};
  const auto shown = status.size() <= 64 ? dump_json(*it) : "(" + std::to_string(status.size()) + " bytes)";
  return "\"status\" " + shown +
         " is not a VAPI call status (scheduled, queued, ringing, in-progress, forwarding, ended)" +
         unchanged;
}

// A status-update without one of VAPI's statuses creates no call and moves none: it is only logged on the
// timeline of a call that exists.
void read_status_update(const json& message, CallUpdate& update, std::string& ignored) {
  const auto status = text_at(message, "status");
  update.event_status = status.value_or("status-update");
  ignored = unusable_status(message);
  if (!ignored.empty()) {
    update.timeline_only = true;
    return;
  }
  update.status = status;
  update.ended_reason = text_at(message, "endedReason");
}

void read_transcript(const json& message, CallUpdate& update) {
  const auto kind = text_at(message, "transcriptType");
  const auto text = text_at(message, "transcript");
  if (!text) return;
  TranscriptLine line{text_at(message, "role").value_or("unknown"), *text, time_at(message, "timestamp")};
  if (kind == "final") {
    update.transcript_line = std::move(line);
  } else if (kind == "partial") {
    update.partial_line = std::move(line);
  }
}

// Every message carries a snapshot of the call: phone, monitor URLs and times fill what we know.
void read_call_snapshot(const json& message, const json& call, CallUpdate& update) {
  update.phone_number = customer_number(message, call);
  const auto& monitor = object_or_empty(call, "monitor");
  update.listen_url = text_at(monitor, "listenUrl");
  update.control_url = text_at(monitor, "controlUrl");
  update.started_at = time_at(message, "startedAt");
  if (!update.started_at) update.started_at = time_at(call, "startedAt");
  update.ended_at = time_at(message, "endedAt");
  if (!update.ended_at) update.ended_at = time_at(call, "endedAt");
  update.cost = number_at(call, "cost");
  // A call first seen through a non-status message starts in the status its snapshot claims.
  const auto snapshot_status = text_at(call, "status");
  update.initial_status = snapshot_status && status_rank(*snapshot_status) ? *snapshot_status : "in-progress";
}

}  // namespace

std::string delivery_key(const json& message) {
  const auto type = text_at(message, "type").value_or("");
  auto status = text_at(message, "status").value_or("");
  if (type == "transcript") {
    status = text_at(message, "transcriptType").value_or("") + "/" + text_at(message, "role").value_or("") +
             "/" + text_at(message, "transcript").value_or("");
  }
  const auto it = message.find("timestamp");
  const auto stamp = it != message.end() && !it->is_null() ? dump_json(*it) : "content:" + dump_json(message);
  // Keys are stored per call, and a call has hundreds of deliveries at most: 64 bits of the digest are
  // plenty.
  return sha256_hex(type + '\n' + status + '\n' + stamp).substr(0, 16);
}

namespace {
// The message as the timeline keeps it in `form`.
json stored_payload(const json& message, PayloadForm form) {
  switch (form) {
    case PayloadForm::compact:
      return compact_message(message);
    case PayloadForm::none:
      return message_type_only(message);
    case PayloadForm::full:
      break;
  }
  return message;
}
}  // namespace

VapiMessage parse_vapi_message(const std::string& client_id, std::string_view body, PayloadForm form) {
  const auto root = parse_json(body);
  require_object(root, "the webhook body");
  const auto* message = object_at(root, "message");
  if (message == nullptr) {
    throw invalid_input("invalid_field",
                        "the body must be {\"message\": {\"type\": ..., ...}}, a VAPI server message");
  }
  VapiMessage parsed;
  const auto type = message->find("type");
  if (type == message->end() || !type->is_string() || type->get_ref<const std::string&>().empty()) {
    throw invalid_input("invalid_field", "\"message.type\" must be a non-empty string");
  }
  parsed.type = type->get<std::string>();

  const auto& call = object_or_empty(*message, "call");
  const auto call_id = text_at(call, "id");
  if (!call_id) {
    parsed.ignored = "the message has no call.id, so there is no call to record it on";
    return parsed;
  }
  require_identifier("message.call.id", *call_id);

  CallUpdate update;
  update.client_id = client_id;
  update.call_id = *call_id;
  update.source = UpdateSource::webhook;
  update.event_payload = stored_payload(*message, form);
  update.event_payload_form = form;
  update.message_type = parsed.type;
  update.event_status = parsed.type;
  update.dedupe_key = delivery_key(*message);
  read_call_snapshot(*message, call, update);
  if (parsed.type == "status-update") {
    read_status_update(*message, update, parsed.ignored);
  } else if (parsed.type == "end-of-call-report") {
    update.status = "ended";
    update.report = read_report(*message);
  } else if (parsed.type == "transcript") {
    read_transcript(*message, update);
  }
  parsed.update = std::move(update);
  return parsed;
}

}  // namespace vapidash
