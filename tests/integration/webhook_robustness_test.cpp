#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "support/files.hpp"
#include "support/store_snapshot.hpp"
#include "support/test_server.hpp"
#include "vapidash/error.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

// What the server must do with a body. Whatever it is, it never answers 5xx nor drops the connection.
enum class Expect {
  stored,    // 200 with a status_event_id, and the call is readable
  ignored,   // 200 {"ok": true, "ignored": ...}, nothing stored
  rejected,  // 400 with the error body, nothing stored
  not_5xx,   // 2xx, or 4xx with the error body and nothing stored
};

// Stands for a JSON value the library cannot produce (bytes that are not UTF-8, numbers out of range):
// the serialised body has "@@RAW@@" replaced by `raw`.
const std::string raw_marker = "@@RAW@@";

struct WebhookCase {
  std::string name;
  std::string base;                         // a file of tests/data/vapi/examples, or empty for a raw body
  std::function<void(json& message)> edit;  // applied to "message" after the case's id and timestamp
  Expect expect;
  std::string raw;  // the whole body when `base` is empty, else the text replacing raw_marker
  int index = 0;

  std::string call_id() const { return "robust-" + name; }

  std::string body() const {
    if (base.empty()) return raw;
    auto root = parse_json(read_text(examples_dir + "/" + base));
    auto& message = root.at("message");
    message["call"]["id"] = call_id();
    // Distinct timestamps keep the cases from being taken for re-deliveries of one another.
    message["timestamp"] = 1795707796145 + index;
    if (edit) edit(message);
    auto text = dump_json(root);
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

std::string nested(std::size_t levels, const std::string& open, const std::string& close) {
  std::string out;
  out.reserve(levels * (open.size() + close.size()));
  for (std::size_t i = 0; i < levels; ++i) out += open;
  for (std::size_t i = 0; i < levels; ++i) out += close;
  return out;
}

// Wrong types for every field the parser reads, on otherwise valid messages: each is an optional field,
// which real senders get wrong, so each message is still stored.
void add_wrong_types(std::vector<WebhookCase>& cases) {
  const auto stored = [&](std::string name, const char* base, std::function<void(json&)> edit) {
    cases.push_back(WebhookCase{std::move(name), base, std::move(edit), Expect::stored});
  };
  const auto stored_raw = [&](std::string name, const char* base, const std::string& pointer,
                              std::string raw) {
    cases.push_back(
        WebhookCase{std::move(name), base, put(pointer, raw_marker), Expect::stored, std::move(raw)});
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
  const std::vector<std::pair<std::string, std::string>> string_fields{
      {"ended_reason", "/endedReason"},
      {"customer", "/customer"},
      {"customer_number", "/customer/number"},
      {"call_customer", "/call/customer"},
      {"call_customer_number", "/call/customer/number"},
      {"call_monitor", "/call/monitor"},
      {"listen_url", "/call/monitor/listenUrl"},
      {"control_url", "/call/monitor/controlUrl"},
      {"call_status", "/call/status"},
      {"phone_number", "/phoneNumber"},
  };
  for (const auto& [field, pointer] : string_fields) {
    for (const auto& [kind, value] : wrong_values)
      stored("status_update_" + field + "_" + kind, status_update, put(pointer, value));
  }
  cases.push_back(WebhookCase{"status_update_status_unknown", status_update, put("/status", "teleporting"),
                              Expect::ignored});
  cases.push_back(WebhookCase{"status_update_status_uppercase", status_update, put("/status", "RINGING"),
                              Expect::ignored});
  stored("status_update_both_customers_wrong", status_update,
         both(put("/customer/number", 5), put("/call/customer/number", json::object())));
  stored("status_update_monitor_at_message_level", status_update, put("/monitor", {{"listenUrl", 5}}));

  // Times: numbers (quoted or not) are epoch milliseconds, other strings ISO-8601; anything else, or out of
  // range, is absent.
  const std::vector<std::pair<std::string, json>> wrong_times{
      {"epoch_zero", 0},
      {"negative", -1},
      {"huge", 1e300},
      {"max_ms", 253402300799999},
      {"object", json::object()},
      {"array", json::array()},
      {"garbage", "yesterday"},
      {"bad_date", "2026-13-45T99:99:99Z"},
      {"bad_offset", "2026-11-20T15:43:16+99"},
      {"offset_past_year_9999", "9999-12-31T23:59:59-99:99"},
      {"year_zero", "0000-01-01T00:00:00+23:59"},
      {"long_fraction", "2026-11-20T15:43:16." + std::string(1000, '9') + "Z"},
      {"quoted_nan", "nan"},
      {"quoted_infinity", "-inf"},
      {"quoted_overflow", "1e999"},
      {"quoted_negative", "-5"},
      {"quoted_huge", "1e300"},
  };
  for (const auto& [field, pointer] :
       std::vector<std::pair<std::string, std::string>>{{"started_at", "/startedAt"},
                                                        {"ended_at", "/endedAt"},
                                                        {"call_started_at", "/call/startedAt"},
                                                        {"call_ended_at", "/call/endedAt"}}) {
    for (const auto& [kind, value] : wrong_times)
      stored("status_update_" + field + "_" + kind, status_update, put(pointer, value));
  }

  const std::vector<std::pair<std::string, json>> wrong_stamps{{"object", json::object()},
                                                               {"array", json::array({1})},
                                                               {"huge", 1e300},
                                                               {"negative", -1},
                                                               {"string", "yesterday"},
                                                               {"null", nullptr},
                                                               {"bool", false},
                                                               {"uint64_max", 18446744073709551615ULL}};
  for (const auto& [kind, value] : wrong_stamps) {
    stored("status_update_timestamp_" + kind, status_update, put("/timestamp", value));
    stored("transcript_timestamp_" + kind, transcript, put("/timestamp", value));
  }
  stored("status_update_timestamp_missing", status_update, drop("/timestamp"));
  stored_raw("status_update_timestamp_past_uint64", status_update, "/timestamp", "18446744073709551616");
  stored_raw("status_update_timestamp_negative_past_int64", status_update, "/timestamp",
             "-9223372036854775809");

  stored("status_update_cost_string", status_update, put("/cost", "x"));
  stored("status_update_call_cost_string", status_update, put("/call/cost", "x"));
  stored("status_update_call_cost_object", status_update, put("/call/cost", json::object()));
  stored("status_update_call_type_number", status_update, put("/call/type", 5));
  stored("status_update_large_string_field", status_update, put("/call/orgId", std::string(900 * 1024, 'x')));
  stored("status_update_customer_number_unicode", status_update,
         put("/customer/number", "+1 \u260e \xf0\x9f\x93\x9e"));
  stored("status_update_customer_number_nul", status_update,
         put("/customer/number", std::string("+1\0"
                                             "5",
                                             4)));
  stored("status_update_unknown_fields", status_update, put("/zzz", {{"a", {1, 2, {{"b", nullptr}}}}}));

  // end-of-call-report: the report's fields, current (artifact, analysis) and legacy (top level).
  stored("report_cost_string", report, put("/cost", "x"));
  stored("report_cost_huge", report, put("/cost", 1e308));
  stored("report_duration_seconds_string", report, put("/durationSeconds", "x"));
  stored("report_duration_seconds_huge", report, put("/durationSeconds", 1e308));
  stored("report_duration_ms_object", report, put("/durationMs", json::object()));
  stored("report_duration_ms_huge", report, put("/durationMs", -1e308));
  stored("report_artifact_array", report, put("/artifact", json::array({1, 2})));
  stored("report_artifact_string", report, put("/artifact", "x"));
  stored("report_artifact_null", report, put("/artifact", nullptr));
  stored("report_artifact_messages_object", report, put("/artifact/messages", {{"role", "user"}}));
  stored("report_artifact_messages_string", report, put("/artifact/messages", "hello"));
  stored("report_artifact_messages_entries_strings", report,
         put("/artifact/messages", json::array({"hello", 5, nullptr, json::array(), true})));
  stored("report_artifact_messages_entry_fields_wrong", report,
         put("/artifact/messages",
             json::array({{{"role", 5}, {"message", "x"}},
                          {{"role", "user"}, {"message", 7}},
                          {{"role", json::array()}, {"message", json::object()}},
                          {{"role", "bot"}, {"message", "ok"}, {"time", "garbage"}},
                          {{"role", "assistant"}, {"message", "ok"}, {"time", json::object()}},
                          {{"role", "user"}, {"message", "ok"}, {"time", 1e300}},
                          {{"role", "system"}, {"message", "ignored"}}})));
  stored("report_top_level_messages_object", report,
         both(drop("/artifact"), put("/messages", {{"role", "user"}, {"message", "x"}})));
  stored("report_top_level_messages_strings", report,
         both(drop("/artifact"), put("/messages", json::array({"a", "b"}))));
  stored("report_analysis_array", report, put("/analysis", json::array()));
  stored("report_analysis_string", report, put("/analysis", "x"));
  stored("report_analysis_summary_number", report, put("/analysis/summary", 5));
  stored("report_top_level_summary_number", report, both(drop("/analysis"), put("/summary", 5)));
  stored("report_artifact_transcript_number", report, put("/artifact/transcript", 5));
  stored("report_top_level_transcript_object", report,
         both(drop("/artifact"), put("/transcript", json::object())));
  stored("report_recording_url_number", report, put("/artifact/recordingUrl", 5));
  stored("report_stereo_recording_url_object", report, put("/artifact/stereoRecordingUrl", json::object()));
  stored("report_top_level_recording_url_array", report,
         both(drop("/artifact"), put("/recordingUrl", json::array())));
  stored("report_ended_reason_number", report, put("/endedReason", 5));
  stored("report_started_at_object", report, put("/startedAt", json::object()));
  stored("report_ended_at_garbage", report, put("/endedAt", "garbage"));
  stored("report_ended_before_started", report,
         both(put("/startedAt", "2026-11-20T15:44:08Z"), put("/endedAt", "2026-11-20T15:43:18Z")));
  stored("report_costs_string", report, put("/costs", "x"));
  stored("report_call_monitor_string", report, put("/call/monitor", "x"));
  stored("report_without_artifact_or_analysis", report, both(drop("/artifact"), drop("/analysis")));

  // transcript: role, transcriptType and transcript.
  stored("transcript_type_number", transcript, put("/transcriptType", 5));
  stored("transcript_type_unknown", transcript, put("/transcriptType", "draft"));
  stored("transcript_text_number", transcript, put("/transcript", 5));
  stored("transcript_text_object", transcript, put("/transcript", json::object()));
  stored("transcript_text_empty", transcript, put("/transcript", ""));
  stored("transcript_role_number", transcript, put("/role", 5));
  stored("transcript_role_array", transcript, put("/role", json::array()));
  stored("transcript_role_missing", transcript, drop("/role"));
}

void add_envelopes(std::vector<WebhookCase>& cases) {
  const auto raw = [&](std::string name, Expect expect, std::string body) {
    cases.push_back(WebhookCase{std::move(name), "", nullptr, expect, std::move(body)});
  };
  const auto edited = [&](std::string name, const char* base, Expect expect,
                          std::function<void(json&)> edit) {
    cases.push_back(WebhookCase{std::move(name), base, std::move(edit), expect});
  };
  raw("not_json", Expect::rejected, R"({"message": )");
  raw("empty_body", Expect::rejected, "");
  raw("json_null", Expect::rejected, "null");
  raw("json_string", Expect::rejected, R"("message")");
  raw("json_number", Expect::rejected, "5");
  raw("json_array", Expect::rejected,
      R"([{"message": {"type": "status-update", "call": {"id": "in-array"}}}])");
  raw("message_null", Expect::rejected, R"({"message": null})");
  raw("message_array", Expect::rejected, R"({"message": []})");
  raw("message_string", Expect::rejected, R"({"message": "x"})");
  raw("message_number", Expect::rejected, R"({"message": 5})");
  raw("message_missing", Expect::rejected, R"({"type": "status-update", "call": {"id": "top-level"}})");
  raw("trailing_garbage", Expect::rejected, R"({"message": {"type": "hang", "call": {"id": "t"}}} x)");
  raw("deep_arrays", Expect::rejected,
      R"({"message": {"type": "status-update", "call": {"id": "deep"}, "x": )" + nested(10000, "[", "]") +
          "}}");
  raw("deep_objects", Expect::rejected,
      R"({"message": {"type": "status-update", "call": {"id": "deep"}, "x": )" +
          nested(10000, R"({"a": )", "}") + "}}");
  raw("deep_unclosed", Expect::rejected, R"({"message": )" + std::string(10000, '['));

  edited("type_missing", status_update, Expect::rejected, drop("/type"));
  for (const auto& [kind, value] :
       std::vector<std::pair<std::string, json>>{{"number", 5},
                                                 {"empty", ""},
                                                 {"null", nullptr},
                                                 {"object", json::object()},
                                                 {"array", json::array({"hang"})}}) {
    edited("type_" + kind, status_update, Expect::rejected, put("/type", value));
  }

  // No usable call.id: nothing to record the message on, so it is acknowledged and ignored.
  edited("call_missing", status_update, Expect::ignored, drop("/call"));
  for (const auto& [kind, value] : std::vector<std::pair<std::string, json>>{
           {"array", json::array({{{"id", "x"}}})}, {"string", "x"}, {"null", nullptr}, {"number", 5}}) {
    edited("call_" + kind, status_update, Expect::ignored, put("/call", value));
  }
  for (const auto& [kind, value] : std::vector<std::pair<std::string, json>>{{"number", 5},
                                                                             {"object", {{"id", "x"}}},
                                                                             {"array", json::array({"x"})},
                                                                             {"null", nullptr},
                                                                             {"bool", true},
                                                                             {"empty", ""}}) {
    edited("call_id_" + kind, status_update, Expect::ignored, put("/call/id", value));
  }

  // A call.id that is there but cannot be an identifier is refused.
  edited("call_id_spaces", status_update, Expect::rejected, put("/call/id", "call with spaces"));
  edited("call_id_200_chars", status_update, Expect::rejected, put("/call/id", std::string(200, 'c')));
  edited("call_id_129_chars", status_update, Expect::rejected, put("/call/id", std::string(129, 'c')));
  edited("call_id_slash", status_update, Expect::rejected, put("/call/id", "a/b"));
  edited("call_id_unicode", status_update, Expect::rejected, put("/call/id", "caf\xc3\xa9"));
  edited("call_id_nul", status_update, Expect::rejected, put("/call/id", std::string("a\0b", 3)));

  // Bytes that are not UTF-8 inside a string: malformed JSON, or stored with the bytes replaced.
  cases.push_back(WebhookCase{"invalid_utf8_in_customer_number", status_update,
                              put("/customer/number", raw_marker), Expect::not_5xx, "\"+1415\xff\xfe\""});
  cases.push_back(WebhookCase{"invalid_utf8_in_unread_field", status_update, put("/call/orgId", raw_marker),
                              Expect::not_5xx, "\"org-\xc3\x28-\xed\xa0\x80\""});
  cases.push_back(WebhookCase{"invalid_utf8_in_transcript", transcript, put("/transcript", raw_marker),
                              Expect::not_5xx, "\"caf\xe9\""});
  // A number past the range of a double: refused as malformed, or read as absent.
  cases.push_back(WebhookCase{"timestamp_overflows_double", status_update, put("/timestamp", raw_marker),
                              Expect::not_5xx, "1e400"});
  cases.push_back(WebhookCase{"unread_field_overflows_double", status_update, put("/call/orgId", raw_marker),
                              Expect::not_5xx, "-1e999"});
  cases.push_back(WebhookCase{"lone_surrogate_escape", transcript, put("/transcript", raw_marker),
                              Expect::not_5xx, R"("\ud800")"});
}

std::vector<WebhookCase> corpus() {
  std::vector<WebhookCase> cases;
  add_envelopes(cases);
  add_wrong_types(cases);
  for (std::size_t i = 0; i < cases.size(); ++i) cases[i].index = static_cast<int>(i);
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

// Checks the answer against the case; `before` is the store as it was before the request.
void check_answer(TestServer& server, const WebhookCase& c, const HttpResponse& response,
                  const std::string& before) {
  SCOPED_TRACE(c.name);
  ASSERT_LT(response.status, 500u) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  const bool success = response.status >= 200 && response.status < 300;
  if (!success) {
    EXPECT_GE(response.status, 400u);
    const auto body = response.json_body();
    EXPECT_EQ(body.at("ok"), false) << response.body;
    EXPECT_TRUE(body.at("error").at("code").is_string()) << response.body;
    EXPECT_FALSE(body.at("error").at("message").get<std::string>().empty()) << response.body;
    EXPECT_EQ(store_snapshot(server.db_path()), before) << "a rejected webhook changed the store";
  }
  switch (c.expect) {
    case Expect::stored: {
      ASSERT_EQ(response.status, 200u) << response.body;
      const auto body = response.json_body();
      EXPECT_EQ(body.at("ok"), true);
      EXPECT_EQ(body.at("call_id"), c.call_id());
      EXPECT_TRUE(body.contains("status_event_id") && body.at("status_event_id").is_number_integer())
          << response.body;
      auto http = server.client();
      EXPECT_EQ(http.get("/api/demo/calls/" + c.call_id()).status, 200u);
      break;
    }
    case Expect::ignored: {
      ASSERT_EQ(response.status, 200u) << response.body;
      const auto body = response.json_body();
      EXPECT_EQ(body.at("ok"), true);
      EXPECT_TRUE(body.contains("ignored") && body.at("ignored").is_string()) << response.body;
      EXPECT_EQ(store_snapshot(server.db_path()), before) << "an ignored webhook changed the store";
      break;
    }
    case Expect::rejected:
      EXPECT_EQ(response.status, 400u) << response.body;
      break;
    case Expect::not_5xx:
      if (success) {
        EXPECT_EQ(response.json_body().at("ok"), true) << response.body;
      }
      break;
  }
}

class WebhookRobustnessTest : public ServerTest, public ::testing::WithParamInterface<WebhookCase> {};

TEST_P(WebhookRobustnessTest, IsAnsweredWithoutA5xxAndRejectionsChangeNothing) {
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
    if (response->status == 200 && response->json_body().contains("status_event_id")) ++stored;
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
