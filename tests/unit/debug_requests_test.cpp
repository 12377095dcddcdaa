#include "vapidash/wire/debug_requests.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "vapidash/error.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

// Runs `parse` and checks that it throws invalid_input with `code`.
::testing::AssertionResult rejects_with(const std::string& code, const std::function<void()>& parse) {
  try {
    parse();
  } catch (const invalid_input& e) {
    if (e.code() == code) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "code \"" << e.code() << "\" (" << e.what() << "), expected \"" << code << '"';
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw something other than invalid_input: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw, expected \"" << code << '"';
}

::testing::AssertionResult create_rejects(const std::string& code, std::string_view body) {
  return rejects_with(code, [&] { parse_create_test_call("demo-client", body); }) << " for body " << body;
}

::testing::AssertionResult log_rejects(const std::string& code, std::string_view body) {
  return rejects_with(code, [&] { parse_log_status_event("demo-client", "call-1", body); })
         << " for body " << body;
}

void expect_all_absent(const CallUpdate& update) {
  EXPECT_EQ(update.client_id, "demo-client");
  EXPECT_EQ(update.call_id, "");
  EXPECT_FALSE(update.status);
  EXPECT_FALSE(update.phone_number);
  EXPECT_TRUE(update.event_payload.is_object());
  EXPECT_TRUE(update.event_payload.empty());
}

TEST(ParseCreateTestCall, EmptyBodyMeansEveryFieldAbsent) {
  for (const char* body : {"", " ", "\r\n\t ", "{}", " {} ", "\n{\n}\n"}) {
    SCOPED_TRACE(std::string("body: \"") + body + '"');
    expect_all_absent(parse_create_test_call("demo-client", body));
  }
}

TEST(ParseCreateTestCall, ReadsApiMdsFullBody) {
  const auto update = parse_create_test_call("acme-agency", R"(
    {"call_id": "optional-call-id", "phone_number": "+18885550111", "status": "in-progress",
     "event_payload": {"note": "optional debug info"}})");
  EXPECT_EQ(update.client_id, "acme-agency");
  EXPECT_EQ(update.call_id, "optional-call-id");
  EXPECT_EQ(update.phone_number, "+18885550111");
  EXPECT_EQ(update.status, "in-progress");
  EXPECT_EQ(update.event_payload, json::parse(R"({"note": "optional debug info"})"));
}

TEST(ParseCreateTestCall, AcceptsAnyNonEmptyStatus) {
  EXPECT_EQ(parse_create_test_call("demo-client", R"({"status": "weird-status"})").status, "weird-status");
  EXPECT_EQ(parse_create_test_call("demo-client", R"({"status": "ended"})").status, "ended");
}

TEST(ParseCreateTestCall, KeepsANestedPayloadAsJson) {
  const auto update =
      parse_create_test_call("demo-client", R"({"event_payload": {"b": [1, {"c": null}], "a": "x"}})");
  EXPECT_EQ(update.event_payload, json::parse(R"({"b": [1, {"c": null}], "a": "x"})"));
}

TEST(ParseCreateTestCall, EmptyCallIdMeansGenerateOne) {
  EXPECT_EQ(parse_create_test_call("demo-client", R"({"call_id": ""})").call_id, "");
}

TEST(ParseCreateTestCall, NullFieldsAreAbsent) {
  expect_all_absent(parse_create_test_call(
      "demo-client", R"({"call_id": null, "phone_number": null, "status": null, "event_payload": null})"));
}

TEST(ParseCreateTestCall, IgnoresUnknownFields) {
  const auto update = parse_create_test_call("demo-client", R"({"status": "ringing", "extra": [1, 2]})");
  EXPECT_EQ(update.status, "ringing");
}

TEST(ParseCreateTestCall, RejectsWrongTypesAsInvalidField) {
  EXPECT_TRUE(create_rejects("invalid_field", R"({"status": 5})"));
  EXPECT_TRUE(create_rejects("invalid_field", R"({"status": true})"));
  EXPECT_TRUE(create_rejects("invalid_field", R"({"call_id": 7})"));
  EXPECT_TRUE(create_rejects("invalid_field", R"({"call_id": {"id": "x"}})"));
  EXPECT_TRUE(create_rejects("invalid_field", R"({"phone_number": []})"));
  EXPECT_TRUE(create_rejects("invalid_field", R"({"phone_number": 18885550111})"));
  EXPECT_TRUE(create_rejects("invalid_field", R"({"event_payload": "x"})"));
  EXPECT_TRUE(create_rejects("invalid_field", R"({"event_payload": [1, 2]})"));
  EXPECT_TRUE(create_rejects("invalid_field", R"({"event_payload": 3})"));
}

TEST(ParseCreateTestCall, RejectsAnEmptyStatusAsInvalidField) {
  EXPECT_TRUE(create_rejects("invalid_field", R"({"status": ""})"));
}

TEST(ParseCreateTestCall, RejectsMalformedJsonAsInvalidJson) {
  for (const char* body : {"{", "}", "not json", R"({"status": })", R"({"status": "ended",})",
                           "{'status': 'x'}", "{} {}", R"({"status": "ended")"}) {
    EXPECT_TRUE(create_rejects("invalid_json", body));
  }
}

TEST(ParseCreateTestCall, RejectsABodyThatIsNotAnObjectAsInvalidJson) {
  for (const char* body : {"[]", R"(["call_id"])", R"("a string")", "5", "true", "null"}) {
    EXPECT_TRUE(create_rejects("invalid_json", body));
  }
}

TEST(ParseCreateTestCall, RejectsAnInvalidCallIdAsInvalidIdentifier) {
  EXPECT_TRUE(create_rejects("invalid_identifier", R"({"call_id": "a b"})"));
  EXPECT_TRUE(create_rejects("invalid_identifier", R"({"call_id": "../x"})"));
  EXPECT_TRUE(create_rejects("invalid_identifier", R"({"call_id": "caf\u00e9"})"));
  EXPECT_TRUE(create_rejects("invalid_identifier", R"({"call_id": ")" + std::string(129, 'x') + R"("})"));
}

TEST(ParseCreateTestCall, AcceptsTheLongestValidCallId) {
  const std::string id(128, 'x');
  EXPECT_EQ(parse_create_test_call("demo-client", R"({"call_id": ")" + id + R"("})").call_id, id);
}

TEST(ParseLogStatusEvent, ReadsApiMdsBody) {
  const auto record = parse_log_status_event("demo-client", "call-xyz-1",
                                             R"({"status": "in-progress", "payload": {"source": "debug"}})");
  EXPECT_EQ(record.client_id, "demo-client");
  EXPECT_EQ(record.call_id, "call-xyz-1");
  EXPECT_EQ(record.status, "in-progress");
  EXPECT_EQ(record.payload, json::parse(R"({"source": "debug"})"));
}

TEST(ParseLogStatusEvent, PayloadDefaultsToAnEmptyObject) {
  for (const char* body : {R"({"status": "ringing"})", R"({"status": "ringing", "payload": null})"}) {
    const auto record = parse_log_status_event("demo-client", "call-1", body);
    EXPECT_EQ(record.status, "ringing") << body;
    EXPECT_TRUE(record.payload.is_object()) << body;
    EXPECT_TRUE(record.payload.empty()) << body;
  }
}

TEST(ParseLogStatusEvent, RequiresStatus) {
  for (const char* body :
       {"", "  ", "{}", R"({"payload": {"source": "debug"}})", R"({"status": null})", R"({"status": ""})"}) {
    EXPECT_TRUE(log_rejects("invalid_field", body));
  }
}

TEST(ParseLogStatusEvent, RejectsWrongTypes) {
  EXPECT_TRUE(log_rejects("invalid_field", R"({"status": 5})"));
  EXPECT_TRUE(log_rejects("invalid_field", R"({"status": ["ended"]})"));
  EXPECT_TRUE(log_rejects("invalid_field", R"({"status": "ended", "payload": "x"})"));
  EXPECT_TRUE(log_rejects("invalid_field", R"({"status": "ended", "payload": [1]})"));
}

TEST(ParseLogStatusEvent, RejectsMalformedOrNonObjectBodies) {
  EXPECT_TRUE(log_rejects("invalid_json", "{"));
  EXPECT_TRUE(log_rejects("invalid_json", R"({"status": "ended")"));
  EXPECT_TRUE(log_rejects("invalid_json", "[]"));
  EXPECT_TRUE(log_rejects("invalid_json", R"("ended")"));
}

}  // namespace
}  // namespace vapidash::test
