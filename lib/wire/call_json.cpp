#include "vapidash/wire/call_json.hpp"

#include <algorithm>
#include <utility>

#include "vapidash/model/call_merge.hpp"

namespace vapidash {

namespace {
std::optional<std::string> nullable_string(const json& in, const char* key) {
  const auto& value = in.at(key);
  return value.is_null() ? std::nullopt : std::optional<std::string>(value.get<std::string>());
}

// A server from before payload forms kept every payload in full.
PayloadForm payload_form_of(const json& entry) {
  const auto it = entry.find("payload_form");
  if (it == entry.end() || !it->is_string()) return PayloadForm::full;
  return parse_payload_form(it->get_ref<const std::string&>()).value_or(PayloadForm::full);
}

// The list row's fields in their order: the one place both of its serialisers read.
template <class Visit>
void visit_list_row(const Call& call, Visit visit) {
  visit("id", call.id);
  visit("client_id", call.client_id);
  visit("phone_number", call.phone_number);
  visit("status", call.status);
  visit("started_at", call.started_at);
  visit("ended_at", call.ended_at);
  visit("created_at", call.created_at);
  visit("updated_at", call.updated_at);
  visit("listen_url", call.listen_url);
}

json field_json(const std::string& value) {
  return value;
}

json field_json(const std::optional<std::string>& value) {
  return nullable(value);
}

// What dump_json writes between quotes unchanged: printable ASCII other than the quote and the backslash.
bool is_plain(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
}

// Anything else (escapes, UTF-8, bytes that are not UTF-8) is left to dump_json, so the bytes stay its own.
void append_field(std::string& out, const std::string& value) {
  if (!is_plain(value)) {
    out += dump_json(value);
    return;
  }
  out += '"';
  out += value;
  out += '"';
}

void append_field(std::string& out, const std::optional<std::string>& value) {
  if (!value) {
    out += "null";
    return;
  }
  append_field(out, *value);
}
}  // namespace

void to_json(json& out, const Call& call) {
  out = json::object();
  visit_list_row(call, [&out](const char* key, const auto& value) { out[key] = field_json(value); });
}

void append_list_row(std::string& out, const Call& call) {
  char separator = '{';
  visit_list_row(call, [&out, &separator](const char* key, const auto& value) {
    out += std::exchange(separator, ',');
    out += '"';
    out += key;
    out += "\":";
    append_field(out, value);
  });
  out += '}';
}

void from_json(const json& in, Call& call) {
  in.at("id").get_to(call.id);
  in.at("client_id").get_to(call.client_id);
  in.at("phone_number").get_to(call.phone_number);
  in.at("status").get_to(call.status);
  call.started_at = nullable_string(in, "started_at");
  call.ended_at = nullable_string(in, "ended_at");
  in.at("created_at").get_to(call.created_at);
  in.at("updated_at").get_to(call.updated_at);
  call.listen_url = nullable_string(in, "listen_url");
}

void to_json(json& out, const StatusEvent& event) {
  out = json{{"id", event.id},
             {"call_id", event.call_id},
             {"client_id", event.client_id},
             {"status", event.status},
             {"created_at", event.created_at},
             {"payload", event.payload},
             {"payload_form", payload_form_name(event.payload_form)}};
}

void from_json(const json& in, StatusEvent& event) {
  in.at("id").get_to(event.id);
  in.at("call_id").get_to(event.call_id);
  in.at("client_id").get_to(event.client_id);
  in.at("status").get_to(event.status);
  in.at("created_at").get_to(event.created_at);
  event.payload = in.at("payload");
  event.payload_form = payload_form_of(in);
}

void to_json(json& out, const TranscriptLine& line) {
  out = json{{"role", line.role}, {"text", line.text}, {"at", nullable(line.at)}};
}

void from_json(const json& in, TranscriptLine& line) {
  in.at("role").get_to(line.role);
  in.at("text").get_to(line.text);
  line.at = nullable_string(in, "at");
}

namespace {
json nullable(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

std::optional<double> nullable_number(const json& in, const char* key) {
  const auto& value = in.at(key);
  return value.is_null() ? std::nullopt : std::optional<double>(value.get<double>());
}
}  // namespace

void to_json(json& out, const CallDetail& detail) {
  const auto& call = detail.call;
  out = json(call);
  out["control_url"] = nullable(call.control_url);
  out["ended_reason"] = nullable(call.ended_reason);
  out["duration_seconds"] = nullable(call.duration_seconds ? call.duration_seconds : elapsed_seconds(call));
  out["cost"] = nullable(call.cost);
  out["summary"] = nullable(call.summary);
  out["recording_url"] = nullable(call.recording_url);
  out["stereo_recording_url"] = nullable(call.stereo_recording_url);
  out["transcript_text"] = nullable(call.transcript_text);
  out["transcript"] = detail.transcript;
  out["notes"] = nullable(call.notes);
  out["disposition"] = nullable(call.disposition);
  out["tags"] = call.tags;
}

void from_json(const json& in, CallDetail& detail) {
  auto& call = detail.call;
  from_json(in, call);
  call.control_url = nullable_string(in, "control_url");
  call.ended_reason = nullable_string(in, "ended_reason");
  call.duration_seconds = nullable_number(in, "duration_seconds");
  call.cost = nullable_number(in, "cost");
  call.summary = nullable_string(in, "summary");
  call.recording_url = nullable_string(in, "recording_url");
  call.stereo_recording_url = nullable_string(in, "stereo_recording_url");
  call.transcript_text = nullable_string(in, "transcript_text");
  in.at("transcript").get_to(detail.transcript);
  // Servers before annotations existed do not send them.
  if (in.contains("notes")) call.notes = nullable_string(in, "notes");
  if (in.contains("disposition")) call.disposition = nullable_string(in, "disposition");
  if (in.contains("tags")) in.at("tags").get_to(call.tags);
}

json call_upsert_message(const Call& call, const std::string& cause) {
  return json{{"type", "call-upsert"},
              {"clientId", call.client_id},
              {"call",
               {{"id", call.id},
                {"status", call.status},
                {"phoneNumber", call.phone_number},
                {"startedAt", nullable(call.started_at)},
                {"endedAt", nullable(call.ended_at)},
                {"listenUrl", nullable(call.listen_url)}}},
              {"cause", cause}};
}

Call call_from_upsert(const json& message) {
  const auto& body = message.at("call");
  Call call;
  message.at("clientId").get_to(call.client_id);
  body.at("id").get_to(call.id);
  body.at("status").get_to(call.status);
  body.at("phoneNumber").get_to(call.phone_number);
  call.started_at = nullable_string(body, "startedAt");
  call.ended_at = nullable_string(body, "endedAt");
  call.listen_url = nullable_string(body, "listenUrl");
  return call;
}

json status_event_message(const StatusEvent& event) {
  return json{{"type", "status-event"},
              {"clientId", event.client_id},
              {"callId", event.call_id},
              {"event",
               {{"id", event.id},
                {"status", event.status},
                {"created_at", event.created_at},
                {"payload", event.payload},
                {"payload_form", payload_form_name(event.payload_form)}}}};
}

StatusEvent status_event_from_message(const json& message) {
  const auto& body = message.at("event");
  StatusEvent event;
  message.at("clientId").get_to(event.client_id);
  message.at("callId").get_to(event.call_id);
  body.at("id").get_to(event.id);
  body.at("status").get_to(event.status);
  body.at("created_at").get_to(event.created_at);
  event.payload = body.at("payload");
  event.payload_form = payload_form_of(body);
  return event;
}

std::string full_transcript_text(const std::vector<TranscriptLine>& finals) {
  std::string text;
  for (const auto& line : finals) {
    if (!text.empty()) text += '\n';
    text += line.role + ": " + line.text;
  }
  return text;
}

json transcript_update_message(const std::string& client_id, const std::string& call_id,
                               const LiveTranscript& live) {
  auto line = json(live.line);
  line["final"] = live.final;
  return json{{"type", "transcript-update"},
              {"clientId", client_id},
              {"callId", call_id},
              {"fullTranscript", full_transcript_text(live.finals)},
              {"line", std::move(line)}};
}

}  // namespace vapidash
