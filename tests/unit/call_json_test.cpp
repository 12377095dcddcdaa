#include "vapidash/wire/call_json.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vapidash::test {
namespace {

std::vector<std::string> keys_of(const json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, _] : object.items()) keys.push_back(key);
  return keys;
}

// A debug call as docs/api.md describes one: the create defaults, at the example timestamp.
Call example_call() {
  return Call{"demo-client",
              "debug-1765332952",
              "+15555550123",
              "in-progress",
              "2025-12-10T07:05:14.195889",
              std::nullopt,
              "2025-12-10T07:05:14.195889",
              "2025-12-10T07:05:14.195889",
              std::nullopt};
}

Call finished_call() {
  return Call{"acme-agency",
              "call-xyz-1",
              "+18885550111",
              "ended",
              "2025-12-10T07:30:00.123456",
              "2025-12-10T07:31:02.000001",
              "2025-12-10T07:29:59.999999",
              "2025-12-10T07:31:02.000002",
              "wss://aws-us-west-2-production1-phone-call-websocket.vapi.ai/abc/listen"};
}

TEST(CallJson, MatchesTheListRowOfApiMd) {
  const auto expected = json::parse(R"(
    {"id": "debug-1765332952", "client_id": "demo-client", "phone_number": "+15555550123",
     "status": "in-progress", "started_at": "2025-12-10T07:05:14.195889", "ended_at": null,
     "created_at": "2025-12-10T07:05:14.195889", "updated_at": "2025-12-10T07:05:14.195889", "listen_url": null})");
  const json row = example_call();
  EXPECT_EQ(row, expected);  // ordered_json: key order is compared too
  EXPECT_EQ(dump_json(row), dump_json(expected));
}

TEST(CallJson, HasExactlyTheListRowKeysInOrder) {
  const json row = finished_call();
  EXPECT_EQ(keys_of(row), (std::vector<std::string>{"id", "client_id", "phone_number", "status", "started_at",
                                                    "ended_at", "created_at", "updated_at", "listen_url"}));
}

TEST(CallJson, WritesAbsentOptionalFieldsAsNull) {
  Call call = example_call();
  call.started_at.reset();
  const json row = call;
  ASSERT_TRUE(row.contains("started_at"));
  ASSERT_TRUE(row.contains("ended_at"));
  ASSERT_TRUE(row.contains("listen_url"));
  EXPECT_TRUE(row.at("started_at").is_null());
  EXPECT_TRUE(row.at("ended_at").is_null());
  EXPECT_TRUE(row.at("listen_url").is_null());
}

TEST(CallJson, WritesPresentOptionalFieldsAsStrings) {
  const json row = finished_call();
  EXPECT_EQ(row.at("started_at"), "2025-12-10T07:30:00.123456");
  EXPECT_EQ(row.at("ended_at"), "2025-12-10T07:31:02.000001");
  EXPECT_EQ(row.at("listen_url"), "wss://aws-us-west-2-production1-phone-call-websocket.vapi.ai/abc/listen");
}

TEST(CallJson, RoundTrips) {
  for (const Call& call : {example_call(), finished_call()}) {
    const json row = call;
    EXPECT_EQ(row.get<Call>(), call) << row.dump();
    EXPECT_EQ(json::parse(dump_json(row)).get<Call>(), call) << row.dump();
  }
}

TEST(CallJson, AppendListRowWritesWhatDumpJsonWrites) {
  std::vector<Call> calls{example_call(), finished_call()};
  for (const std::string text : {"", "say \"hi\"", "back\\slash", "tab\tand\nnewline\x01", "caf\u00e9 \u20ac",
                                 "not utf-8: \xff\xfe", "cut \xe2\x82", "del \x7f", "</script>"}) {
    auto call = finished_call();
    call.id = call.phone_number = call.listen_url.emplace() = text;
    calls.push_back(call);
  }
  for (const auto& call : calls) {
    std::string row = "before ";
    append_list_row(row, call);
    EXPECT_EQ(row, "before " + dump_json(json(call))) << call.phone_number;
  }
}

TEST(CallJson, ReadsApiMdsLiteralRow) {
  const auto row = json::parse(R"(
    {"id": "debug-1765332952", "client_id": "demo-client", "phone_number": "+15555550123",
     "status": "in-progress", "started_at": "2025-12-10T07:05:14.195889", "ended_at": null,
     "created_at": "2025-12-10T07:05:14.195889", "updated_at": "2025-12-10T07:05:14.195889", "listen_url": null})");
  EXPECT_EQ(row.get<Call>(), example_call());
}

TEST(CallJson, ReadingRequiresEveryKey) {
  json row = example_call();
  row.erase("listen_url");
  EXPECT_THROW(row.get<Call>(), json::exception);
}

StatusEvent example_event() {
  return StatusEvent{
      40, "demo-client", "call-xyz-1", "ringing", "2025-12-10T07:30:00.123456", json{{"source", "initial"}}};
}

TEST(StatusEventJson, MatchesTheTimelineEntryOfApiMd) {
  const auto expected = json::parse(R"(
    {"id": 40, "call_id": "call-xyz-1", "client_id": "demo-client", "status": "ringing",
     "created_at": "2025-12-10T07:30:00.123456", "payload": {"source": "initial"}, "payload_form": "full"})");
  const json entry = example_event();
  EXPECT_EQ(entry, expected);
  EXPECT_EQ(dump_json(entry), dump_json(expected));
}

TEST(StatusEventJson, KeepsThePayloadAsAJsonValueNotAString) {
  StatusEvent event = example_event();
  event.payload =
      json::parse(R"({"message": {"type": "status-update", "call": {"id": "c1"}}, "n": [1, 2.5, null]})");
  const json entry = event;
  ASSERT_TRUE(entry.at("payload").is_object());
  EXPECT_EQ(entry.at("payload"), event.payload);
  EXPECT_EQ(entry.at("payload").at("message").at("call").at("id"), "c1");
  // Serialised, the payload is nested JSON, not an escaped string.
  EXPECT_NE(dump_json(entry).find(R"("payload":{"message":{"type":"status-update")"), std::string::npos)
      << dump_json(entry);
}

TEST(StatusEventJson, AnEmptyPayloadIsAnEmptyObject) {
  StatusEvent event = example_event();
  event.payload = json::object();
  const json entry = event;
  EXPECT_TRUE(entry.at("payload").is_object());
  EXPECT_TRUE(entry.at("payload").empty());
  EXPECT_EQ(dump_json(entry.at("payload")), "{}");
}

TEST(StatusEventJson, RoundTripsWithThePayloadIntact) {
  StatusEvent event = example_event();
  event.payload = json::parse(R"({"z": 1, "a": {"nested": [true, false]}, "m": "text"})");
  const json entry = event;
  const auto back = json::parse(dump_json(entry)).get<StatusEvent>();
  EXPECT_EQ(back, event);
  EXPECT_EQ(keys_of(back.payload), (std::vector<std::string>{"z", "a", "m"}));
}

TEST(CallUpsertMessage, MatchesTheWebSocketMessageOfApiMd) {
  Call call = example_call();
  call.id = "abc123";
  call.phone_number = "+18005550000";
  const auto expected = json::parse(R"(
    {"type": "call-upsert", "clientId": "demo-client",
     "call": {"id": "abc123", "status": "in-progress", "phoneNumber": "+18005550000",
              "startedAt": "2025-12-10T07:05:14.195889", "endedAt": null, "listenUrl": null},
     "cause": "status-update"})");
  const auto message = call_upsert_message(call, "status-update");
  EXPECT_EQ(message, expected);
  EXPECT_EQ(dump_json(message), dump_json(expected));
}

TEST(CallUpsertMessage, HasExactlyTheDocumentedKeys) {
  const auto message = call_upsert_message(finished_call(), "end-of-call-report");
  EXPECT_EQ(keys_of(message), (std::vector<std::string>{"type", "clientId", "call", "cause"}));
  EXPECT_EQ(message.at("cause"), "end-of-call-report");
  EXPECT_EQ(message.at("type"), "call-upsert");
  EXPECT_EQ(message.at("clientId"), "acme-agency");
  EXPECT_EQ(keys_of(message.at("call")),
            (std::vector<std::string>{"id", "status", "phoneNumber", "startedAt", "endedAt", "listenUrl"}));
  EXPECT_EQ(message.at("call").at("endedAt"), "2025-12-10T07:31:02.000001");
  EXPECT_EQ(message.at("call").at("listenUrl"),
            "wss://aws-us-west-2-production1-phone-call-websocket.vapi.ai/abc/listen");
}

TEST(CallUpsertMessage, WritesAbsentFieldsAsNull) {
  Call call = example_call();
  call.started_at.reset();
  const auto body = call_upsert_message(call, "debug").at("call");
  EXPECT_TRUE(body.at("startedAt").is_null());
  EXPECT_TRUE(body.at("endedAt").is_null());
  EXPECT_TRUE(body.at("listenUrl").is_null());
}

TEST(CallFromUpsert, RoundTripsTheFieldsTheFeedCarries) {
  for (const Call& call : {example_call(), finished_call()}) {
    const auto back = call_from_upsert(json::parse(dump_json(call_upsert_message(call, "debug"))));
    EXPECT_EQ(back.client_id, call.client_id);
    EXPECT_EQ(back.id, call.id);
    EXPECT_EQ(back.status, call.status);
    EXPECT_EQ(back.phone_number, call.phone_number);
    EXPECT_EQ(back.started_at, call.started_at);
    EXPECT_EQ(back.ended_at, call.ended_at);
    EXPECT_EQ(back.listen_url, call.listen_url);
    // The feed does not carry the row's bookkeeping timestamps.
    EXPECT_TRUE(back.created_at.empty());
    EXPECT_TRUE(back.updated_at.empty());
  }
}

TEST(CallFromUpsert, ReadsApiMdsLiteralMessage) {
  const auto back = call_from_upsert(json::parse(R"(
    {"type": "call-upsert", "clientId": "demo-client",
     "call": {"id": "abc123", "status": "in-progress", "phoneNumber": "+18005550000",
              "startedAt": "2025-12-10T07:05:14.195889", "endedAt": null, "listenUrl": null}})"));
  EXPECT_EQ(back.client_id, "demo-client");
  EXPECT_EQ(back.id, "abc123");
  EXPECT_EQ(back.status, "in-progress");
  EXPECT_EQ(back.phone_number, "+18005550000");
  EXPECT_EQ(back.started_at, "2025-12-10T07:05:14.195889");
  EXPECT_EQ(back.ended_at, std::nullopt);
  EXPECT_EQ(back.listen_url, std::nullopt);
}

TEST(StatusEventMessage, IsTheDocumentedShapeAndReadsBack) {
  StatusEvent event{7,
                    "demo-client",
                    "c1",
                    "transcript",
                    "2026-01-15T09:30:05.250000",
                    json::parse(R"({"type": "transcript", "role": "user", "transcript": "hi"})")};
  const auto message = status_event_message(event);
  EXPECT_EQ(dump_json(message), dump_json(json::parse(R"(
    {"type": "status-event", "clientId": "demo-client", "callId": "c1",
     "event": {"id": 7, "status": "transcript", "created_at": "2026-01-15T09:30:05.250000",
               "payload": {"type": "transcript", "role": "user", "transcript": "hi"},
               "payload_form": "full"}})")));
  EXPECT_EQ(status_event_from_message(json::parse(dump_json(message))), event);
}

}  // namespace
}  // namespace vapidash::test
