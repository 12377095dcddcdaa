#include <gtest/gtest.h>

#include <regex>

#include "support/test_server.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::test {
namespace {

const std::regex timestamp_format(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})");

class DebugApiTest : public ServerTest {
 protected:
  json post(const std::string& target, const json& body) {
    const auto response = http_.post(target, dump_json(body));
    EXPECT_EQ(response.status, 200u) << response.body;
    EXPECT_EQ(response.content_type, "application/json");
    return response.json_body();
  }
  json get(const std::string& target) {
    const auto response = http_.get(target);
    EXPECT_EQ(response.status, 200u) << response.body;
    EXPECT_EQ(response.content_type, "application/json");
    return response.json_body();
  }
};

TEST_F(DebugApiTest, CreateTestCallAnswersWithTheSeedShape) {
  const auto body =
      post("/api/debug/create-test-call/demo-client", {{"call_id", "call-xyz-1"},
                                                       {"phone_number", "+18885550111"},
                                                       {"status", "in-progress"},
                                                       {"event_payload", {{"note", "optional debug info"}}}});
  EXPECT_EQ(body, json::parse(R"({"ok": true, "call_id": "call-xyz-1", "updated": false,
                                  "status_event_id": )" +
                              std::to_string(body.at("status_event_id").get<int>()) + "}"));
  EXPECT_GT(body.at("status_event_id").get<std::int64_t>(), 0);
}

TEST_F(DebugApiTest, NewCallTakesTheDefaultsAndListsWithEveryField) {
  post("/api/debug/create-test-call/demo-client", json::object());
  const auto calls = get("/api/demo-client/calls");
  ASSERT_EQ(calls.size(), 1u);
  const auto& row = calls.at(0);
  std::vector<std::string> keys;
  for (const auto& [key, _] : row.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "client_id", "phone_number", "status", "started_at",
                                            "ended_at", "created_at", "updated_at", "listen_url"}));
  EXPECT_TRUE(std::regex_match(row.at("id").get<std::string>(), std::regex(R"(debug-\d{10})")));
  EXPECT_EQ(row.at("client_id"), "demo-client");
  EXPECT_EQ(row.at("phone_number"), "+15555550123");
  EXPECT_EQ(row.at("status"), "in-progress");
  EXPECT_TRUE(std::regex_match(row.at("started_at").get<std::string>(), timestamp_format));
  EXPECT_EQ(row.at("started_at"), row.at("created_at"));
  EXPECT_EQ(row.at("created_at"), row.at("updated_at"));
  EXPECT_TRUE(row.at("ended_at").is_null());
  EXPECT_TRUE(row.at("listen_url").is_null());
}

TEST_F(DebugApiTest, EmptyBodyIsValid) {
  const auto response = http_.post("/api/debug/create-test-call/demo-client", "");
  EXPECT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(response.json_body().at("updated"), false);
}

TEST_F(DebugApiTest, TwoCreatesWithoutIdInOneSecondAreTwoCalls) {
  const auto first = post("/api/debug/create-test-call/demo-client", json::object());
  const auto second = post("/api/debug/create-test-call/demo-client", {{"call_id", ""}});
  EXPECT_NE(first.at("call_id"), second.at("call_id"));
  EXPECT_EQ(second.at("updated"), false);
  EXPECT_EQ(get("/api/demo-client/calls").size(), 2u);
}

TEST_F(DebugApiTest, UpdateKeepsLeftOutFields) {
  post("/api/debug/create-test-call/demo-client",
       {{"call_id", "c1"}, {"phone_number", "+18885550111"}, {"status", "ringing"}});
  const auto before = get("/api/demo-client/calls").at(0);
  const auto update =
      post("/api/debug/create-test-call/demo-client", {{"call_id", "c1"}, {"status", "ended"}});
  EXPECT_EQ(update.at("updated"), true);
  const auto after = get("/api/demo-client/calls").at(0);
  EXPECT_EQ(after.at("status"), "ended");
  EXPECT_EQ(after.at("phone_number"), "+18885550111");
  EXPECT_EQ(after.at("started_at"), before.at("started_at"));
  EXPECT_EQ(after.at("created_at"), before.at("created_at"));
  EXPECT_GE(after.at("updated_at").get<std::string>(), before.at("updated_at").get<std::string>());

  post("/api/debug/create-test-call/demo-client", {{"call_id", "c1"}, {"phone_number", "+1999"}});
  const auto last = get("/api/demo-client/calls").at(0);
  EXPECT_EQ(last.at("status"), "ended");
  EXPECT_EQ(last.at("phone_number"), "+1999");
}

TEST_F(DebugApiTest, TimelineIsChronologicalWithPayloadsAsJson) {
  const auto created =
      post("/api/debug/create-test-call/demo-client",
           {{"call_id", "call-xyz-1"}, {"status", "ringing"}, {"event_payload", {{"source", "initial"}}}});
  const auto logged = post("/api/debug/log-status-event/demo-client/call-xyz-1",
                           {{"status", "in-progress"}, {"payload", {{"source", "debug"}, {"n", {1, 2}}}}});
  EXPECT_EQ(logged.at("ok"), true);
  post("/api/debug/log-status-event/demo-client/call-xyz-1", {{"status", "ended"}});

  const auto events = get("/api/debug/status-events/demo-client/call-xyz-1");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].at("id"), created.at("status_event_id"));
  EXPECT_EQ(events[1].at("id"), logged.at("event_id"));
  EXPECT_LT(events[0].at("id").get<std::int64_t>(), events[1].at("id").get<std::int64_t>());
  EXPECT_LT(events[1].at("id").get<std::int64_t>(), events[2].at("id").get<std::int64_t>());
  EXPECT_EQ(events[0],
            json::parse(R"({"id": )" + dump_json(events[0].at("id")) +
                        R"(, "call_id": "call-xyz-1", "client_id": "demo-client", "status": "ringing",
                                   "created_at": )" +
                        dump_json(events[0].at("created_at")) +
                        R"(, "payload": {"source": "initial"}, "payload_form": "full"})"));
  EXPECT_EQ(events[1].at("payload"), json::parse(R"({"source": "debug", "n": [1, 2]})"));
  EXPECT_EQ(events[2].at("payload"), json::object());
  EXPECT_TRUE(std::regex_match(events[2].at("created_at").get<std::string>(), timestamp_format));
}

TEST_F(DebugApiTest, LoggingAnEventLeavesTheCallUnchanged) {
  post("/api/debug/create-test-call/demo-client", {{"call_id", "c1"}, {"status", "ringing"}});
  const auto before = get("/api/demo-client/calls");
  post("/api/debug/log-status-event/demo-client/c1", {{"status", "ended"}});
  EXPECT_EQ(get("/api/demo-client/calls"), before);
}

TEST_F(DebugApiTest, UnknownTenantAndUnknownCallAreEmptyLists) {
  EXPECT_EQ(get("/api/nobody/calls"), json::array());
  EXPECT_EQ(get("/api/debug/status-events/nobody/nothing"), json::array());
}

TEST_F(DebugApiTest, TenantsAreIsolated) {
  post("/api/debug/create-test-call/tenant-a", {{"call_id", "shared-id"}, {"status", "ringing"}});
  const auto b =
      post("/api/debug/create-test-call/tenant-b", {{"call_id", "shared-id"}, {"status", "ended"}});
  EXPECT_EQ(b.at("updated"), false) << "tenant-b must not update tenant-a's call";
  post("/api/debug/log-status-event/tenant-b/shared-id", {{"status", "b-only"}});

  const auto a_calls = get("/api/tenant-a/calls");
  ASSERT_EQ(a_calls.size(), 1u);
  EXPECT_EQ(a_calls[0].at("status"), "ringing");
  const auto a_events = get("/api/debug/status-events/tenant-a/shared-id");
  ASSERT_EQ(a_events.size(), 1u);
  EXPECT_EQ(a_events[0].at("client_id"), "tenant-a");
  EXPECT_EQ(get("/api/debug/status-events/tenant-b/shared-id").size(), 2u);
}

TEST_F(DebugApiTest, CallsAreNewestFirstWithOptionalFilters) {
  for (const char* id : {"c1", "c2", "c3", "c4"}) {
    post("/api/debug/create-test-call/demo-client",
         {{"call_id", id}, {"status", std::string(id) == "c2" ? "ended" : "ringing"}});
  }
  std::vector<std::string> ids;
  const auto all = get("/api/demo-client/calls");
  for (const auto& row : all) ids.push_back(row.at("id"));
  EXPECT_EQ(ids, (std::vector<std::string>{"c4", "c3", "c2", "c1"}));

  EXPECT_EQ(get("/api/demo-client/calls?limit=2").size(), 2u);
  const auto ended = get("/api/demo-client/calls?status=ended");
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].at("id"), "c2");
  const auto page =
      get("/api/demo-client/calls?limit=2&before=" + all[1].at("created_at").get<std::string>());
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].at("id"), "c2");
  EXPECT_EQ(page[1].at("id"), "c1");
}

TEST_F(DebugApiTest, HealthzIsOk) {
  EXPECT_EQ(get("/healthz"), json::parse(R"({"ok": true})"));
}

TEST_F(DebugApiTest, PercentEncodedIdentifiersAreDecoded) {
  post("/api/debug/create-test-call/demo%3Aclient", {{"call_id", "x"}});
  EXPECT_EQ(get("/api/demo:client/calls").size(), 1u);
}

}  // namespace
}  // namespace vapidash::test

namespace vapidash::test {
namespace {

TEST_F(ServerTest, TheDashboardPageIsServedAtTheRoot) {
  const auto response = http_.get("/");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_NE(response.body.find("/ws/dashboard"), std::string::npos) << "the page follows the live feed";
  EXPECT_NE(response.body.find("/calls"), std::string::npos) << "the page bootstraps from the calls list";
}

}  // namespace
}  // namespace vapidash::test
