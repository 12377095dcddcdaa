#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>

#include "support/files.hpp"
#include "support/store_snapshot.hpp"
#include "support/test_server.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/vapi/compact_message.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

// What the server must do with a body. Whatever it is, it never answers 5xx nor drops the connection.
enum class Expect {
  stored,    // 200 with a status_event_id; the call and its one timeline event read as the case says
  ignored,   // 200 {"ok": true, "ignored": ...}, nothing stored
  rejected,  // 400 with the error body and the case's error code, nothing stored
};

// Stands for a JSON value the library cannot produce (bytes that are not UTF-8, numbers out of range):
// the serialised body has "@@RAW@@" replaced by `raw`.
const std::string raw_marker = "@@RAW@@";

struct WebhookCase {
  std::string name;
  std::string base;                         // a file of tests/data/vapi/examples, or empty for a raw body
  std::function<void(json& message)> edit;  // applied to "message" after the case's call id
  Expect expect;
  std::string raw;  // the whole body when `base` is empty, else the text replacing raw_marker
  // stored: the fields of the call's detail the odd value bears on, with what they must read as (every other
  // field must read as `base` stores it), and the status of its timeline event when not the base's.
  json stored = json::object();
  std::string event_status;
  std::string error_code;  // rejected

  std::string call_id() const { return "robust-" + name; }

  // The body as sent, {"message": ...} (the call id is in the delivery key, so no case is a re-delivery of
  // another).
  json envelope() const {
    auto root = parse_json(read_text(examples_dir + "/" + base));
    auto& message = root.at("message");
    message["call"]["id"] = call_id();
    if (edit) edit(message);
    return root;
  }

  std::string body() const {
    if (base.empty()) return raw;
    auto text = dump_json(envelope());
    if (!raw.empty()) {
      const auto at = text.find('"' + raw_marker + '"');
      if (at == std::string::npos) throw std::logic_error(name + ": no " + raw_marker + " to replace");
      text.replace(at, raw_marker.size() + 2, raw);
    }
    return text;
  }
};

void PrintTo(const WebhookCase& c, std::ostream* os) {
  *os << c.name;
}

std::function<void(json&)> put(const std::string& pointer, json value) {
  return [pointer, value = std::move(value)](json& message) { message[json::json_pointer(pointer)] = value; };
}

std::function<void(json&)> drop(const std::string& pointer) {
  return [pointer](json& message) {
    const json::json_pointer at(pointer);
    message.at(at.parent_pointer()).erase(at.back());
  };
}

std::function<void(json&)> both(std::function<void(json&)> a, std::function<void(json&)> b) {
  return [a = std::move(a), b = std::move(b)](json& message) {
    a(message);
    b(message);
  };
}

const char* const status_update = "status-update-ringing.json";
const char* const report = "end-of-call-report.json";
const char* const transcript = "transcript-final.json";

// The example messages' call snapshot and the texts they carry.
const char* const caller = "+14155550142";
const char* const listen_url =
    "wss://phone-call-websocket.example-vapi.test/a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71/listen";
const char* const control_url =
    "https://phone-call-websocket.example-vapi.test/a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71/control";
const char* const spoken_line = "Hi, I'd like to move my appointment to Friday.";
const char* const spoken_line_at = "2026-11-26T15:43:23.345000";  // the transcript's timestamp, 1795707803345

// Expected values that are not fixed: a time the server took from its clock (so equal to the new call's
// created_at), and a duration computed from the stored times.
const json server_time = "<the server's time>";
const json stored_elapsed = "<ended_at - started_at, in seconds>";

json transcript_entry(const std::string& role, const std::string& text, json at) {
  return json{{"role", role}, {"text", text}, {"at", std::move(at)}};
}

// The call a base message stores, as GET /api/demo/calls/{id} shows it (without the keys every call has:
// id, client_id, created_at and updated_at), and its timeline event's status.
struct BaseOutcome {
  json call;
  std::string event_status;
};

BaseOutcome stored_by(const std::string& base) {
  json call{{"phone_number", caller},     {"status", "ringing"},         {"started_at", nullptr},
            {"ended_at", nullptr},        {"listen_url", listen_url},    {"control_url", control_url},
            {"ended_reason", nullptr},    {"duration_seconds", nullptr}, {"cost", nullptr},
            {"summary", nullptr},         {"recording_url", nullptr},    {"stereo_recording_url", nullptr},
            {"transcript_text", nullptr}, {"transcript", json::array()}, {"notes", nullptr},
            {"disposition", nullptr},     {"tags", json::array()}};
  if (base == status_update) return {call, "ringing"};
  if (base == transcript) {
    call["status"] = "in-progress";  // the call snapshot's status
    call["started_at"] = server_time;
    call["transcript"] = json::array({transcript_entry("user", spoken_line, spoken_line_at)});
    return {call, "transcript"};
  }
  if (base != report) throw std::logic_error("no stored call known for " + base);
  const auto fixture = parse_json(read_text(examples_dir + "/" + report)).at("message");
  const auto& artifact = fixture.at("artifact");
  call["status"] = "ended";
  call["started_at"] = "2026-11-20T15:43:18.010000";
  call["ended_at"] = "2026-11-20T15:44:08.145000";
  call["ended_reason"] = "assistant-forwarded-call";
  call["duration_seconds"] = 50.135;
  call["cost"] = 0.0873;
  call["summary"] = fixture.at("analysis").at("summary");
  call["recording_url"] = artifact.at("recordingUrl");
  call["stereo_recording_url"] = artifact.at("stereoRecordingUrl");
  call["transcript_text"] = artifact.at("transcript");
  const auto& said = artifact.at("messages");
  call["transcript"] =
      json::array({transcript_entry("assistant", said.at(0).at("message"), "2026-11-26T15:43:18.245000"),
                   transcript_entry("user", said.at(1).at("message"), "2026-11-26T15:43:23.345000"),
                   transcript_entry("assistant", said.at(2).at("message"), "2026-11-26T15:43:26.945000")});
  return {call, "end-of-call-report"};
}

// A report without its artifact: no transcript text, recording or report lines.
const json no_artifact{{"transcript_text", nullptr},
                       {"recording_url", nullptr},
                       {"stereo_recording_url", nullptr},
                       {"transcript", json::array()}};

json with(json fields, const json& more) {
  for (const auto& [key, value] : more.items()) fields[key] = value;
  return fields;
}

std::string nested(std::size_t levels, const std::string& open, const std::string& close) {
  std::string out;
  out.reserve(levels * (open.size() + close.size()));
  for (std::size_t i = 0; i < levels; ++i) out += open;
  for (std::size_t i = 0; i < levels; ++i) out += close;
  return out;
}

// Odd values for every field the parser reads, on otherwise valid messages: each is an optional field,
// which real senders get wrong, so each message is still stored, with the field read as absent
// (docs/api.md, VAPI webhooks).
void add_odd_fields(std::vector<WebhookCase>& cases) {
  const auto stored = [&](std::string name, const char* base, std::function<void(json&)> edit, json fields,
                          std::string event_status = "") {
    cases.push_back(WebhookCase{std::move(name), base, std::move(edit), Expect::stored, "", std::move(fields),
                                std::move(event_status)});
  };
  const auto stored_raw = [&](std::string name, const char* base, const std::string& pointer, std::string raw,
                              json fields) {
    cases.push_back(WebhookCase{std::move(name), base, put(pointer, raw_marker), Expect::stored,
                                std::move(raw), std::move(fields)});
  };
  const std::vector<std::pair<std::string, json>> wrong_values{{"number", 5},
                                                               {"object", json::object()},
                                                               {"array", json::array({1})},
                                                               {"null", nullptr},
                                                               {"bool", true},
                                                               {"empty", ""}};
  // A status-update without one of VAPI's statuses may not create its call: on a fresh server it is ignored.
  for (const auto& [kind, value] : wrong_values) {
    cases.push_back(
        WebhookCase{"status_update_status_" + kind, status_update, put("/status", value), Expect::ignored});
  }
  cases.push_back(WebhookCase{"status_update_status_unknown", status_update, put("/status", "teleporting"),
                              Expect::ignored});
  cases.push_back(WebhookCase{"status_update_status_uppercase", status_update, put("/status", "RINGING"),
                              Expect::ignored});
  struct StringField {
    std::string name;
    std::string pointer;
    json stored;               // whatever the wrong value
    std::string event_status;  // when not the base's
  };
  const std::vector<StringField> string_fields{
      {"ended_reason", "/endedReason", {{"ended_reason", nullptr}}, ""},
      // The caller's number falls back to the call's customer.number, and the other way round.
      {"customer", "/customer", {{"phone_number", caller}}, ""},
      {"customer_number", "/customer/number", {{"phone_number", caller}}, ""},
      {"call_customer", "/call/customer", {{"phone_number", caller}}, ""},
      {"call_customer_number", "/call/customer/number", {{"phone_number", caller}}, ""},
      {"call_monitor", "/call/monitor", {{"listen_url", nullptr}, {"control_url", nullptr}}, ""},
      {"listen_url", "/call/monitor/listenUrl", {{"listen_url", nullptr}, {"control_url", control_url}}, ""},
      {"control_url", "/call/monitor/controlUrl", {{"listen_url", listen_url}, {"control_url", nullptr}}, ""},
      // The message's status wins over the snapshot's.
      {"call_status", "/call/status", {{"status", "ringing"}}, ""},
      // phoneNumber is the assistant's line, never read as the caller's.
      {"phone_number", "/phoneNumber", {{"phone_number", caller}}, ""},
  };
  for (const auto& field : string_fields) {
    for (const auto& [kind, value] : wrong_values) {
      stored("status_update_" + field.name + "_" + kind, status_update, put(field.pointer, value),
             field.stored, field.event_status);
    }
  }
  // No caller's number anywhere: a web call's "".
  stored("status_update_both_customers_wrong", status_update,
         both(put("/customer/number", 5), put("/call/customer/number", json::object())),
         {{"phone_number", ""}});
  stored("status_update_monitor_at_message_level", status_update, put("/monitor", {{"listenUrl", 5}}),
         {{"listen_url", listen_url}});

  // Times: numbers (quoted or not) are epoch milliseconds within years 1970–9999, other strings ISO-8601;
  // anything else, or out of range, is absent.
  struct OddTime {
    std::string kind;
    json value;
    json stored;
  };
  const std::vector<OddTime> odd_times{
      {"epoch_zero", 0, "1970-01-01T00:00:00.000000"},
      {"negative", -1, nullptr},
      {"huge", 1e300, nullptr},
      {"max_ms", 253402300799999, "9999-12-31T23:59:59.999000"},
      {"past_max_ms", 253402300800000, nullptr},
      {"object", json::object(), nullptr},
      {"array", json::array(), nullptr},
      {"garbage", "yesterday", nullptr},
      {"bad_date", "2026-13-45T99:99:99Z", nullptr},
      {"bad_offset", "2026-11-20T15:43:16+99", nullptr},
      {"offset_past_year_9999", "9999-12-31T23:59:59-99:99", nullptr},
      {"offset_into_year_10000", "9999-12-31T23:30:00-01:00", nullptr},
      {"year_zero", "0000-01-01T00:00:00+23:59", nullptr},
      {"long_fraction", "2026-11-20T15:43:16." + std::string(1000, '9') + "Z", "2026-11-20T15:43:16.999999"},
      {"quoted_nan", "nan", nullptr},
      {"quoted_infinity", "-inf", nullptr},
      {"quoted_overflow", "1e999", nullptr},
      {"quoted_negative", "-5", nullptr},
      {"quoted_huge", "1e300", nullptr},
  };
  struct TimeField {
    std::string name;
    std::string pointer;
    std::string column;
  };
  for (const auto& field : std::vector<TimeField>{{"started_at", "/startedAt", "started_at"},
                                                  {"ended_at", "/endedAt", "ended_at"},
                                                  {"call_started_at", "/call/startedAt", "started_at"},
                                                  {"call_ended_at", "/call/endedAt", "ended_at"}}) {
    for (const auto& time : odd_times) {
      stored("status_update_" + field.name + "_" + time.kind, status_update, put(field.pointer, time.value),
             {{field.column, time.stored}});
    }
  }

  // The timestamp names the delivery, and dates a transcript line.
  const std::vector<std::pair<std::string, json>> wrong_stamps{{"object", json::object()},
                                                               {"array", json::array({1})},
                                                               {"huge", 1e300},
                                                               {"negative", -1},
                                                               {"string", "yesterday"},
                                                               {"null", nullptr},
                                                               {"bool", false},
                                                               {"uint64_max", 18446744073709551615ULL}};
  const json undated_line{{"transcript", json::array({transcript_entry("user", spoken_line, nullptr)})}};
  for (const auto& [kind, value] : wrong_stamps) {
    stored("status_update_timestamp_" + kind, status_update, put("/timestamp", value), json::object());
    stored("transcript_timestamp_" + kind, transcript, put("/timestamp", value), undated_line);
  }
  stored("status_update_timestamp_missing", status_update, drop("/timestamp"), json::object());
  stored_raw("status_update_timestamp_past_uint64", status_update, "/timestamp", "18446744073709551616",
             json::object());
  stored_raw("status_update_timestamp_negative_past_int64", status_update, "/timestamp",
             "-9223372036854775809", json::object());

  // A status update's cost is the call snapshot's; the message's own is not read.
  stored("status_update_cost_string", status_update, put("/cost", "x"), {{"cost", nullptr}});
  stored("status_update_call_cost_string", status_update, put("/call/cost", "x"), {{"cost", nullptr}});
  stored("status_update_call_cost_object", status_update, put("/call/cost", json::object()),
         {{"cost", nullptr}});
  stored("status_update_call_type_number", status_update, put("/call/type", 5), json::object());
  stored("status_update_large_string_field", status_update, put("/call/orgId", std::string(900 * 1024, 'x')),
         json::object());
  // Odd but well-formed strings are kept as sent.
  stored("status_update_customer_number_unicode", status_update,
         put("/customer/number", "+1 \u260e \xf0\x9f\x93\x9e"),
         {{"phone_number", "+1 \u260e \xf0\x9f\x93\x9e"}});
  stored("status_update_customer_number_nul", status_update,
         put("/customer/number", std::string("+1\0005", 4)), {{"phone_number", std::string("+1\0005", 4)}});
  stored("status_update_unknown_fields", status_update, put("/zzz", {{"a", {1, 2, {{"b", nullptr}}}}}),
         json::object());

  // end-of-call-report: the report's fields, current (artifact, analysis) and legacy (top level). Without a
  // usable duration, the call's is ended_at - started_at.
  stored("report_cost_string", report, put("/cost", "x"), {{"cost", nullptr}});
  stored("report_cost_huge", report, put("/cost", 1e308), {{"cost", 1e308}});
  stored("report_duration_seconds_string", report, put("/durationSeconds", "x"),
         {{"duration_seconds", 50.135}});
  stored("report_duration_seconds_huge", report, put("/durationSeconds", 1e308),
         {{"duration_seconds", 1e308}});
  stored("report_duration_seconds_negative", report, put("/durationSeconds", -3),
         {{"duration_seconds", 50.135}});
  stored("report_duration_ms_object", report, put("/durationMs", json::object()),
         {{"duration_seconds", 50.135}});
  stored("report_duration_ms_huge", report, put("/durationMs", -1e308), {{"duration_seconds", 50.135}});
  stored("report_artifact_array", report, put("/artifact", json::array({1, 2})), no_artifact);
  stored("report_artifact_string", report, put("/artifact", "x"), no_artifact);
  stored("report_artifact_null", report, put("/artifact", nullptr), no_artifact);
  stored("report_artifact_messages_object", report, put("/artifact/messages", {{"role", "user"}}),
         {{"transcript", json::array()}});
  stored("report_artifact_messages_string", report, put("/artifact/messages", "hello"),
         {{"transcript", json::array()}});
  stored("report_artifact_messages_entries_strings", report,
         put("/artifact/messages", json::array({"hello", 5, nullptr, json::array(), true})),
         {{"transcript", json::array()}});
  // Entries without a text role and message are skipped, and "system" is not conversation; an odd time is
  // an absent one.
  stored("report_artifact_messages_entry_fields_wrong", report,
         put("/artifact/messages",
             json::array({{{"role", 5}, {"message", "x"}},
                          {{"role", "user"}, {"message", 7}},
                          {{"role", json::array()}, {"message", json::object()}},
                          {{"role", "bot"}, {"message", "ok"}, {"time", "garbage"}},
                          {{"role", "assistant"}, {"message", "ok"}, {"time", json::object()}},
                          {{"role", "user"}, {"message", "ok"}, {"time", 1e300}},
                          {{"role", "system"}, {"message", "ignored"}}})),
         {{"transcript", json::array({transcript_entry("assistant", "ok", nullptr),
                                      transcript_entry("assistant", "ok", nullptr),
                                      transcript_entry("user", "ok", nullptr)})}});
  stored("report_top_level_messages_object", report,
         both(drop("/artifact"), put("/messages", {{"role", "user"}, {"message", "x"}})), no_artifact);
  stored("report_top_level_messages_strings", report,
         both(drop("/artifact"), put("/messages", json::array({"a", "b"}))), no_artifact);
  stored("report_analysis_array", report, put("/analysis", json::array()), {{"summary", nullptr}});
  stored("report_analysis_string", report, put("/analysis", "x"), {{"summary", nullptr}});
  stored("report_analysis_summary_number", report, put("/analysis/summary", 5), {{"summary", nullptr}});
  stored("report_top_level_summary_number", report, both(drop("/analysis"), put("/summary", 5)),
         {{"summary", nullptr}});
  stored("report_artifact_transcript_number", report, put("/artifact/transcript", 5),
         {{"transcript_text", nullptr}});
  stored("report_top_level_transcript_object", report,
         both(drop("/artifact"), put("/transcript", json::object())), no_artifact);
  stored("report_recording_url_number", report, put("/artifact/recordingUrl", 5),
         {{"recording_url", nullptr}});
  stored("report_stereo_recording_url_object", report, put("/artifact/stereoRecordingUrl", json::object()),
         {{"stereo_recording_url", nullptr}});
  stored("report_top_level_recording_url_array", report,
         both(drop("/artifact"), put("/recordingUrl", json::array())), no_artifact);
  stored("report_ended_reason_number", report, put("/endedReason", 5), {{"ended_reason", nullptr}});
  // A call that ends without ever being live has no start; one without an end time ends at the server's time.
  stored("report_started_at_object", report, put("/startedAt", json::object()),
         {{"started_at", nullptr}, {"duration_seconds", nullptr}});
  stored("report_ended_at_garbage", report, put("/endedAt", "garbage"),
         {{"ended_at", server_time}, {"duration_seconds", stored_elapsed}});
  // Times are kept as sent; a negative elapsed time is no duration.
  stored("report_ended_before_started", report,
         both(put("/startedAt", "2026-11-20T15:44:08Z"), put("/endedAt", "2026-11-20T15:43:18Z")),
         {{"started_at", "2026-11-20T15:44:08.000000"},
          {"ended_at", "2026-11-20T15:43:18.000000"},
          {"duration_seconds", nullptr}});
  stored("report_costs_string", report, put("/costs", "x"), json::object());
  stored("report_call_monitor_string", report, put("/call/monitor", "x"),
         {{"listen_url", nullptr}, {"control_url", nullptr}});
  stored("report_without_artifact_or_analysis", report, both(drop("/artifact"), drop("/analysis")),
         with(no_artifact, {{"summary", nullptr}}));

  // transcript: only a final line with a text is a line; a line without a role is "unknown"'s.
  const json no_line{{"transcript", json::array()}};
  const json unknown_speaker{
      {"transcript", json::array({transcript_entry("unknown", spoken_line, spoken_line_at)})}};
  stored("transcript_type_number", transcript, put("/transcriptType", 5), no_line);
  stored("transcript_type_unknown", transcript, put("/transcriptType", "draft"), no_line);
  stored("transcript_text_number", transcript, put("/transcript", 5), no_line);
  stored("transcript_text_object", transcript, put("/transcript", json::object()), no_line);
  stored("transcript_text_empty", transcript, put("/transcript", ""), no_line);
  stored("transcript_role_number", transcript, put("/role", 5), unknown_speaker);
  stored("transcript_role_array", transcript, put("/role", json::array()), unknown_speaker);
  stored("transcript_role_missing", transcript, drop("/role"), unknown_speaker);
}

void add_envelopes(std::vector<WebhookCase>& cases) {
  const auto rejected_raw = [&](std::string name, std::string code, std::string body) {
    cases.push_back(WebhookCase{std::move(name), "", nullptr, Expect::rejected, std::move(body),
                                json::object(), "", std::move(code)});
  };
  const auto rejected = [&](std::string name, const char* base, std::string code,
                            std::function<void(json&)> edit, std::string raw = "") {
    cases.push_back(WebhookCase{std::move(name), base, std::move(edit), Expect::rejected, std::move(raw),
                                json::object(), "", std::move(code)});
  };
  const auto ignored = [&](std::string name, std::function<void(json&)> edit) {
    cases.push_back(WebhookCase{std::move(name), status_update, std::move(edit), Expect::ignored});
  };
  rejected_raw("not_json", "invalid_json", R"({"message": )");
  rejected_raw("empty_body", "invalid_json", "");
  rejected_raw("json_null", "invalid_json", "null");
  rejected_raw("json_string", "invalid_json", R"("message")");
  rejected_raw("json_number", "invalid_json", "5");
  rejected_raw("json_array", "invalid_json",
               R"([{"message": {"type": "status-update", "call": {"id": "in-array"}}}])");
  rejected_raw("message_null", "invalid_field", R"({"message": null})");
  rejected_raw("message_array", "invalid_field", R"({"message": []})");
  rejected_raw("message_string", "invalid_field", R"({"message": "x"})");
  rejected_raw("message_number", "invalid_field", R"({"message": 5})");
  rejected_raw("message_missing", "invalid_field",
               R"({"type": "status-update", "call": {"id": "top-level"}})");
  rejected_raw("trailing_garbage", "invalid_json", R"({"message": {"type": "hang", "call": {"id": "t"}}} x)");
  rejected_raw("deep_arrays", "invalid_json",
               R"({"message": {"type": "status-update", "call": {"id": "deep"}, "x": )" +
                   nested(10000, "[", "]") + "}}");
  rejected_raw("deep_objects", "invalid_json",
               R"({"message": {"type": "status-update", "call": {"id": "deep"}, "x": )" +
                   nested(10000, R"({"a": )", "}") + "}}");
  rejected_raw("deep_unclosed", "invalid_json", R"({"message": )" + std::string(10000, '['));

  rejected("type_missing", status_update, "invalid_field", drop("/type"));
  for (const auto& [kind, value] :
       std::vector<std::pair<std::string, json>>{{"number", 5},
                                                 {"empty", ""},
                                                 {"null", nullptr},
                                                 {"object", json::object()},
                                                 {"array", json::array({"hang"})}}) {
    rejected("type_" + kind, status_update, "invalid_field", put("/type", value));
  }

  // No usable call.id: nothing to record the message on, so it is acknowledged and ignored.
  ignored("call_missing", drop("/call"));
  for (const auto& [kind, value] : std::vector<std::pair<std::string, json>>{
           {"array", json::array({{{"id", "x"}}})}, {"string", "x"}, {"null", nullptr}, {"number", 5}}) {
    ignored("call_" + kind, put("/call", value));
  }
  for (const auto& [kind, value] : std::vector<std::pair<std::string, json>>{{"number", 5},
                                                                             {"object", {{"id", "x"}}},
                                                                             {"array", json::array({"x"})},
                                                                             {"null", nullptr},
                                                                             {"bool", true},
                                                                             {"empty", ""}}) {
    ignored("call_id_" + kind, put("/call/id", value));
  }

  // A call.id that is there but cannot be an identifier is refused.
  rejected("call_id_spaces", status_update, "invalid_identifier", put("/call/id", "call with spaces"));
  rejected("call_id_200_chars", status_update, "invalid_identifier", put("/call/id", std::string(200, 'c')));
  rejected("call_id_129_chars", status_update, "invalid_identifier", put("/call/id", std::string(129, 'c')));
  rejected("call_id_slash", status_update, "invalid_identifier", put("/call/id", "a/b"));
  rejected("call_id_unicode", status_update, "invalid_identifier", put("/call/id", "caf\xc3\xa9"));
  rejected("call_id_nul", status_update, "invalid_identifier", put("/call/id", std::string("a\0b", 3)));

  // JSON is UTF-8 and its numbers fit a double: anything else is not JSON, wherever it is in the body.
  rejected("invalid_utf8_in_customer_number", status_update, "invalid_json",
           put("/customer/number", raw_marker), "\"+1415\xff\xfe\"");
  rejected("invalid_utf8_in_unread_field", status_update, "invalid_json", put("/call/orgId", raw_marker),
           "\"org-\xc3\x28-\xed\xa0\x80\"");
  rejected("invalid_utf8_in_transcript", transcript, "invalid_json", put("/transcript", raw_marker),
           "\"caf\xe9\"");
  rejected("lone_surrogate_escape", transcript, "invalid_json", put("/transcript", raw_marker),
           R"("\ud800")");
  rejected("timestamp_overflows_double", status_update, "invalid_json", put("/timestamp", raw_marker),
           "1e400");
  rejected("unread_field_overflows_double", status_update, "invalid_json", put("/call/orgId", raw_marker),
           "-1e999");
}

std::vector<WebhookCase> corpus() {
  std::vector<WebhookCase> cases;
  add_envelopes(cases);
  add_odd_fields(cases);
  return cases;
}

// Posts on a fresh connection, so a connection the server drops is a failure rather than a silent retry.
std::optional<HttpResponse> post_once(const TestServer& server, const std::string& target,
                                      const std::string& body) {
  HttpClient client(server.endpoint(), 10s);
  try {
    return client.post(target, body);
  } catch (const connection_error& e) {
    ADD_FAILURE() << "no answer to POST " << target << ": " << e.what();
    return std::nullopt;
  }
}

// What the case's call should read as: its base's call with the case's fields, the markers resolved
// against `actual`.
json expected_call(const WebhookCase& c, const json& actual) {
  auto expected = with(stored_by(c.base).call, c.stored);
  expected["id"] = c.call_id();
  expected["client_id"] = "demo";
  expected["created_at"] = actual.at("created_at");
  expected["updated_at"] = actual.at("created_at");  // a new call was updated when it was created
  for (const auto* time : {"started_at", "ended_at"}) {
    if (expected.at(time) == server_time) expected[time] = actual.at("created_at");
  }
  if (expected.at("duration_seconds") == stored_elapsed) {
    const auto started = parse_timestamp(actual.at("started_at").get<std::string>());
    const auto ended = parse_timestamp(actual.at("ended_at").get<std::string>());
    if (started && ended)
      expected["duration_seconds"] = std::chrono::duration<double>(*ended - *started).count();
  }
  return expected;
}

// The call the case stored, field by field, and its one timeline event, `event_id`: the message as sent,
// named as the case says.
void check_stored(TestServer& server, const WebhookCase& c, const json& event_id) {
  auto http = server.client();
  const auto detail = http.get("/api/demo/calls/" + c.call_id());
  ASSERT_EQ(detail.status, 200u) << detail.body;
  const auto call = detail.json_body();
  const auto expected = expected_call(c, call);
  for (const auto& [field, value] : expected.items()) {
    EXPECT_EQ(call.contains(field) ? call.at(field) : json("<missing>"), value) << field;
  }
  EXPECT_EQ(call.size(), expected.size()) << call.dump();

  const auto calls = http.get("/api/demo/calls").json_body();
  const auto row =
      std::find_if(calls.begin(), calls.end(), [&](const json& r) { return r.at("id") == c.call_id(); });
  ASSERT_NE(row, calls.end()) << "the call is not in its tenant's list";
  for (const auto& [field, value] : row->items()) EXPECT_EQ(value, call.at(field)) << "list row's " << field;

  const auto events = http.get("/api/debug/status-events/demo/" + c.call_id()).json_body();
  ASSERT_EQ(events.size(), 1u) << events.dump();
  const auto& event = events.at(0);
  EXPECT_EQ(event.at("id"), event_id);
  EXPECT_EQ(event.at("status"), c.event_status.empty() ? stored_by(c.base).event_status : c.event_status);
  EXPECT_EQ(event.at("client_id"), "demo");
  EXPECT_EQ(event.at("call_id"), c.call_id());
  EXPECT_EQ(event.at("payload"), compact_message(parse_json(c.body()).at("message")))
      << "the payload is the message's compact form";
}

// Checks the answer against the case; `before` is the store as it was before the request.
void check_answer(TestServer& server, const WebhookCase& c, const HttpResponse& response,
                  const std::string& before) {
  SCOPED_TRACE(c.name);
  ASSERT_LT(response.status, 500u) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  const auto body = response.json_body();
  switch (c.expect) {
    case Expect::stored:
      ASSERT_EQ(response.status, 200u) << response.body;
      EXPECT_EQ(body.at("ok"), true);
      EXPECT_EQ(body.at("call_id"), c.call_id());
      EXPECT_TRUE(body.contains("status_event_id") && body.at("status_event_id").is_number_integer())
          << response.body;
      check_stored(server, c, body.at("status_event_id"));
      break;
    case Expect::ignored:
      ASSERT_EQ(response.status, 200u) << response.body;
      EXPECT_EQ(body.at("ok"), true);
      EXPECT_TRUE(body.contains("ignored") && body.at("ignored").is_string()) << response.body;
      EXPECT_EQ(store_snapshot(server.db_path()), before) << "an ignored webhook changed the store";
      break;
    case Expect::rejected:
      ASSERT_EQ(response.status, 400u) << response.body;
      EXPECT_EQ(body.at("ok"), false) << response.body;
      EXPECT_EQ(body.at("error").at("code"), c.error_code) << response.body;
      EXPECT_FALSE(body.at("error").at("message").get<std::string>().empty()) << response.body;
      EXPECT_EQ(store_snapshot(server.db_path()), before) << "a rejected webhook changed the store";
      break;
  }
}

class WebhookRobustnessTest : public ServerTest, public ::testing::WithParamInterface<WebhookCase> {};

TEST_P(WebhookRobustnessTest, IsAnsweredAsTheCaseSaysAndStoresTheOddFieldAsAbsent) {
  const auto& c = GetParam();
  const auto before = store_snapshot(server_.db_path());
  const auto response = post_once(server_, "/webhooks/vapi/demo", c.body());
  ASSERT_TRUE(response.has_value());
  check_answer(server_, c, *response, before);
  EXPECT_EQ(http_.get("/healthz").status, 200u);
}

INSTANTIATE_TEST_SUITE_P(Corpus, WebhookRobustnessTest, ::testing::ValuesIn(corpus()),
                         [](const auto& test) { return test.param.name; });

TEST(WebhookRobustnessCorpusTest, OneServerAnswersTheWholeCorpusAndStaysHealthy) {
  TestServer server;
  std::size_t stored = 0;
  for (const auto& c : corpus()) {
    const auto before = store_snapshot(server.db_path());
    const auto response = post_once(server, "/webhooks/vapi/demo", c.body());
    if (!response) continue;
    check_answer(server, c, *response, before);
    if (c.expect == Expect::stored) ++stored;
  }
  auto http = server.client();
  const auto health = http.get("/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.json_body(), (json{{"ok", true}}));
  const auto calls = http.get("/api/demo/calls");
  ASSERT_EQ(calls.status, 200u);
  EXPECT_EQ(calls.json_body().size(), stored) << "every stored case is one call of tenant demo";
}

class WebhookLenienceTest : public ServerTest {
 protected:
  json message(const std::string& file) { return parse_json(read_text(examples_dir + "/" + file)); }
};

TEST_F(WebhookLenienceTest, AStatusUpdateWithAStringCostIsStored) {
  auto body = message(status_update);
  body["message"]["cost"] = "x";
  body["message"]["call"]["cost"] = "x";
  const auto response = http_.post("/webhooks/vapi/demo", dump_json(body));
  ASSERT_EQ(response.status, 200u) << response.body;
  EXPECT_TRUE(response.json_body().at("status_event_id").is_number_integer()) << response.body;
  const auto calls = http_.get("/api/demo/calls").json_body();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls.at(0).at("status"), "ringing");
  EXPECT_EQ(calls.at(0).at("phone_number"), "+14155550142");
}

TEST_F(WebhookLenienceTest, AReportWithWrongTypedNumbersKeepsItsOtherFields) {
  auto body = message(report);
  body["message"]["cost"] = "0.08";
  body["message"]["durationSeconds"] = "50";
  body["message"]["artifact"]["messages"] = {{"role", "user"}};
  const auto response = http_.post("/webhooks/vapi/demo", dump_json(body));
  ASSERT_EQ(response.status, 200u) << response.body;
  const auto id = body["message"]["call"]["id"].get<std::string>();
  const auto detail = http_.get("/api/demo/calls/" + id);
  ASSERT_EQ(detail.status, 200u) << detail.body;
  const auto call = detail.json_body();
  EXPECT_EQ(call.at("status"), "ended");
  EXPECT_EQ(call.at("cost"), nullptr);
  EXPECT_EQ(call.at("ended_reason"), "assistant-forwarded-call");
  EXPECT_EQ(call.at("summary"),
            "Caller asked to move an appointment to Friday and was transferred to the front desk.");
  EXPECT_EQ(call.at("recording_url"),
            "https://storage.example-vapi.test/a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71-mono.wav");
}

TEST_F(WebhookLenienceTest, WrongTypedTranscriptFieldsAddNoLine) {
  auto body = message(transcript);
  body["message"]["transcript"] = 5;
  ASSERT_EQ(http_.post("/webhooks/vapi/demo", dump_json(body)).status, 200u);
  const auto id = body["message"]["call"]["id"].get<std::string>();
  EXPECT_EQ(http_.get("/api/demo/calls/" + id).json_body().at("transcript"), json::array());
}

// docs/api.md, re-deliveries: a duplicate is the same tenant, call, type, status and timestamp. Two calls
// whose messages share a type, status and millisecond are two deliveries.
TEST_F(WebhookLenienceTest, TwoCallsWithTheSameStatusAndTimestampAreBothStored) {
  auto first = message(status_update);
  auto second = first;
  second["message"]["call"]["id"] = "another-call";
  ASSERT_EQ(http_.post("/webhooks/vapi/demo", dump_json(first)).status, 200u);
  const auto response = http_.post("/webhooks/vapi/demo", dump_json(second));
  ASSERT_EQ(response.status, 200u) << response.body;
  EXPECT_FALSE(response.json_body().contains("duplicate")) << response.body;
  EXPECT_TRUE(response.json_body().contains("status_event_id")) << response.body;
  EXPECT_EQ(http_.get("/api/demo/calls").json_body().size(), 2u);
}

}  // namespace
}  // namespace vapidash::test
