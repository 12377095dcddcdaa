#include <gtest/gtest.h>

#include "support/fake_control_url.hpp"
#include "support/test_server.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

std::string status_update(const std::string& call_id, const std::string& status, const json& monitor = {}) {
  json message{{"type", "status-update"}, {"status", status}, {"call", {{"id", call_id}}}};
  if (!monitor.is_null()) message["call"]["monitor"] = monitor;
  return dump_json(json{{"message", message}});
}

std::string transcript(const std::string& call_id, const std::string& kind, const std::string& role,
                       const std::string& text) {
  return dump_json(json{{"message",
                         {{"type", "transcript"},
                          {"transcriptType", kind},
                          {"role", role},
                          {"transcript", text},
                          {"call", {{"id", call_id}}}}}});
}

// The next message of `type` on the feed, skipping the others (call upserts come with every webhook).
json next_of_type(FeedClient& feed, const std::string& type) {
  for (;;) {
    auto message = next_message(feed);
    if (message.value("type", "") == type) return message;
  }
}

class MonitoringTest : public ServerTest {
 protected:
  void deliver(const std::string& client, const std::string& body) {
    const auto response = http_.post("/webhooks/vapi/" + client, body);
    ASSERT_EQ(response.status, 200u) << response.body;
  }
  // A debug write whose upsert is the next message on a tenant's feed after everything before it.
  void write_sentinel(const std::string& client) {
    ASSERT_EQ(http_.post("/api/debug/create-test-call/" + client, R"({"call_id": "sentinel"})").status, 200u);
  }
  json get(const std::string& target) {
    const auto response = http_.get(target);
    EXPECT_EQ(response.status, 200u) << target << ": " << response.body;
    return response.json_body();
  }
  json subscribe(FeedClient& feed, const json& request) {
    feed.send(dump_json(request));
    for (;;) {
      auto message = next_message(feed);
      const auto type = message.value("type", "");
      if (type == "subscribed" || type == "unsubscribed" || type == "error") return message;
    }
  }
};

TEST_F(MonitoringTest, FinalLinesReachEveryFeedOfTheTenantWithTheWholeTranscriptSoFar) {
  auto feed = server_.feed("/ws/dashboard?client_id=acme");
  auto everyone = server_.feed();
  auto other = server_.feed("/ws/dashboard?client_id=other");
  deliver("acme", status_update("c1", "in-progress"));
  deliver("acme", transcript("c1", "final", "user", "I'd like to book a cleaning."));
  deliver("acme", transcript("c1", "final", "assistant", "Sure, which day?"));

  const auto first = next_of_type(*feed, "transcript-update");
  EXPECT_EQ(first, json::parse(R"({"type": "transcript-update", "clientId": "acme", "callId": "c1",
      "fullTranscript": "user: I'd like to book a cleaning.",
      "line": {"role": "user", "text": "I'd like to book a cleaning.", "at": null, "final": true}})"));
  const auto second = next_of_type(*feed, "transcript-update");
  EXPECT_EQ(second.at("fullTranscript"), "user: I'd like to book a cleaning.\nassistant: Sure, which day?");
  EXPECT_EQ(second.at("line").at("role"), "assistant");
  EXPECT_EQ(next_of_type(*everyone, "transcript-update"), first);

  write_sentinel("other");
  EXPECT_EQ(next_message(*other).at("call").at("id"), "sentinel") << "another tenant heard acme's transcript";
}

TEST_F(MonitoringTest, PartialLinesReachOnlyTheFeedsThatSubscribedAndAreNeverStored) {
  auto watcher = server_.feed("/ws/dashboard?client_id=acme");
  auto bystander = server_.feed("/ws/dashboard?client_id=acme");
  deliver("acme", status_update("c1", "in-progress"));
  deliver("acme", transcript("c1", "final", "user", "Hello"));
  const auto subscribed = subscribe(*watcher, {{"type", "subscribe"}, {"callId", "c1"}});
  EXPECT_EQ(subscribed, json::parse(R"({"type": "subscribed", "clientId": "acme", "callId": "c1",
      "fullTranscript": "user: Hello",
      "transcript": [{"role": "user", "text": "Hello", "at": null, "final": true}]})"));

  deliver("acme", transcript("c1", "partial", "assistant", "Good mor"));
  deliver("acme", transcript("c1", "final", "assistant", "Good morning"));
  const auto partial = next_of_type(*watcher, "transcript-update");
  EXPECT_EQ(partial.at("line").at("text"), "Good mor");
  EXPECT_EQ(partial.at("line").at("final"), false);
  EXPECT_EQ(partial.at("fullTranscript"), "user: Hello");
  const auto final_line = next_of_type(*watcher, "transcript-update");
  EXPECT_EQ(final_line.at("line").at("text"), "Good morning");
  EXPECT_EQ(final_line.at("line").at("final"), true);

  // The bystander's transcript messages skip the partial: its first one is the first final line.
  EXPECT_EQ(next_of_type(*bystander, "transcript-update").at("line").at("text"), "Hello");
  EXPECT_EQ(next_of_type(*bystander, "transcript-update").at("line").at("text"), "Good morning");

  const auto stored = get("/api/acme/calls/c1").at("transcript");
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored.at(1).at("text"), "Good morning");
}

TEST_F(MonitoringTest, AnUnsubscribedFeedHearsNoMorePartialLines) {
  auto watcher = server_.feed("/ws/dashboard?client_id=acme");
  deliver("acme", status_update("c1", "in-progress"));
  ASSERT_EQ(subscribe(*watcher, {{"type", "subscribe"}, {"callId", "c1"}}).at("type"), "subscribed");
  EXPECT_EQ(subscribe(*watcher, {{"type", "unsubscribe"}, {"callId", "c1"}}),
            json::parse(R"({"type": "unsubscribed", "clientId": "acme", "callId": "c1"})"));
  deliver("acme", transcript("c1", "partial", "user", "unheard"));
  deliver("acme", transcript("c1", "final", "user", "heard"));
  EXPECT_EQ(next_of_type(*watcher, "transcript-update").at("line").at("text"), "heard");
}

TEST_F(MonitoringTest, ASubscriptionToAnotherTenantsCallIsRefusedAndHearsNothing) {
  auto feed = server_.feed("/ws/dashboard?client_id=acme");
  deliver("other", status_update("theirs", "in-progress"));
  const auto unknown = subscribe(*feed, {{"type", "subscribe"}, {"callId", "theirs"}});
  EXPECT_EQ(unknown.at("type"), "error");
  EXPECT_EQ(unknown.at("error"), "not_found");
  const auto forbidden =
      subscribe(*feed, {{"type", "subscribe"}, {"clientId", "other"}, {"callId", "theirs"}});
  EXPECT_EQ(forbidden.at("error"), "forbidden");
  EXPECT_NE(forbidden.at("message").get<std::string>().find("other"), std::string::npos);

  deliver("other", transcript("theirs", "partial", "user", "secret"));
  deliver("other", transcript("theirs", "final", "user", "secret"));
  write_sentinel("acme");
  EXPECT_EQ(next_message(*feed).at("call").at("id"), "sentinel");
}

TEST_F(MonitoringTest, AMalformedFeedRequestIsAnsweredWithAnErrorAndTheFeedStaysOpen) {
  auto feed = server_.feed("/ws/dashboard?client_id=acme");
  deliver("acme", status_update("c1", "in-progress"));
  for (const auto* request : {"not json", "[1]", R"({"type": "dance", "callId": "c1"})",
                              R"({"type": "subscribe"})", R"({"type": "subscribe", "callId": "a b"})"}) {
    feed->send(request);
    const auto answer = next_of_type(*feed, "error");
    EXPECT_FALSE(answer.at("message").get<std::string>().empty()) << request;
  }
  EXPECT_EQ(subscribe(*feed, {{"type", "subscribe"}, {"callId", "c1"}}).at("type"), "subscribed");
}

TEST_F(MonitoringTest, TheAllTenantsFeedNamesTheTenantItWatches) {
  auto feed = server_.feed();
  deliver("acme", status_update("c1", "in-progress"));
  EXPECT_EQ(subscribe(*feed, {{"type", "subscribe"}, {"callId", "c1"}}).at("error"), "missing_field");
  EXPECT_EQ(subscribe(*feed, {{"type", "subscribe"}, {"clientId", "acme"}, {"callId", "c1"}}).at("type"),
            "subscribed");
  deliver("acme", transcript("c1", "partial", "user", "Hel"));
  EXPECT_EQ(next_of_type(*feed, "transcript-update").at("line").at("text"), "Hel");
}

TEST_F(MonitoringTest, NotesDispositionAndTagsAreStoredShownBroadcastAndLogged) {
  deliver("acme", status_update("c1", "in-progress"));
  auto feed = server_.feed("/ws/dashboard?client_id=acme");
  auto response = http_.request(http::verb::patch, "/api/acme/calls/c1",
                                R"({"notes": "Wants a callback\nafter 5pm", "disposition": "callback",
                                    "tags": ["vip", "billing"]})");
  ASSERT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(response.json_body().at("tags"), json::parse(R"(["vip", "billing"])"));
  const auto upsert = next_of_type(*feed, "call-upsert");
  EXPECT_EQ(upsert.at("cause"), "annotation");

  auto detail = get("/api/acme/calls/c1");
  EXPECT_EQ(detail.at("notes"), "Wants a callback\nafter 5pm");
  EXPECT_EQ(detail.at("disposition"), "callback");
  EXPECT_EQ(detail.at("tags"), json::parse(R"(["vip", "billing"])"));
  EXPECT_EQ(detail.at("status"), "in-progress");

  ASSERT_EQ(http_.request(http::verb::patch, "/api/acme/calls/c1", R"({"notes": null})").status, 200u);
  detail = get("/api/acme/calls/c1");
  EXPECT_TRUE(detail.at("notes").is_null());
  EXPECT_EQ(detail.at("disposition"), "callback") << "a field not sent keeps its value";

  const auto timeline = get("/api/debug/status-events/acme/c1");
  const auto& annotated = timeline.at(1);
  EXPECT_EQ(annotated.at("status"), "annotated");
  EXPECT_EQ(annotated.at("payload").at("by"), "anonymous");
  EXPECT_EQ(annotated.at("payload").at("changes").at("disposition"), "callback");
}

TEST_F(MonitoringTest, BadAnnotationsAre400AndChangeNothing) {
  deliver("acme", status_update("c1", "in-progress"));
  ASSERT_EQ(http_.request(http::verb::patch, "/api/acme/calls/c1", R"({"notes": "kept"})").status, 200u);
  const auto before = get("/api/acme/calls/c1");
  const std::vector<std::string> bad = {
      "{}",
      "not json",
      "[]",
      R"({"note": "typo"})",
      R"({"notes": 5})",
      R"({"notes": ")" + std::string(10001, 'x') + R"("})",
      R"({"disposition": "two\nlines"})",
      R"({"disposition": ")" + std::string(101, 'x') + R"("})",
      R"({"tags": "vip"})",
      R"({"tags": ["vip", "vip"]})",
      R"({"tags": [""]})",
      R"({"tags": [1]})",
      R"({"tags": [)" +
          [] {
            std::string many;
            for (int i = 0; i < 33; ++i) many += (i ? ",\"t" : "\"t") + std::to_string(i) + "\"";
            return many;
          }() +
          "]}",
  };
  for (const auto& body : bad) {
    const auto response = http_.request(http::verb::patch, "/api/acme/calls/c1", body);
    EXPECT_EQ(response.status, 400u) << body.substr(0, 80) << ": " << response.body;
    EXPECT_EQ(response.json_body().at("ok"), false);
  }
  EXPECT_EQ(get("/api/acme/calls/c1"), before);
  EXPECT_EQ(http_.request(http::verb::patch, "/api/acme/calls/nope", R"({"notes": "x"})").status, 404u);
}

class ControlTest : public MonitoringTest {
 protected:
  void create_controlled_call(const std::string& call_id = "c1") {
    deliver("acme", status_update(call_id, "in-progress", {{"controlUrl", upstream_.url()}}));
  }
  HttpResponse control(const std::string& body, const std::string& call_id = "c1") {
    return http_.post("/api/acme/calls/" + call_id + "/control", body);
  }
  std::vector<json> control_events(const std::string& call_id = "c1") {
    std::vector<json> found;
    for (const auto& event : get("/api/debug/status-events/acme/" + call_id)) {
      if (event.at("status").get<std::string>().rfind("control:", 0) == 0) found.push_back(event);
    }
    return found;
  }

  FakeControlUrl upstream_;
};

TEST_F(ControlTest, AControlIsForwardedToTheCallsControlUrlAndAudited) {
  create_controlled_call();
  const auto body = R"({"type": "say", "content": "One moment please", "endCallAfterSpoken": false})";
  const auto response = control(body);
  ASSERT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(response.json_body().at("upstream_status"), 200);
  EXPECT_EQ(response.json_body().at("upstream"), json::parse(R"({"ok": true})"));

  const auto received = upstream_.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].target, "/control/abc");
  EXPECT_EQ(json::parse(received[0].body), json::parse(body));

  const auto events = control_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("id"), response.json_body().at("event_id"));
  EXPECT_EQ(events[0].at("status"), "control:say");
  EXPECT_EQ(events[0].at("payload").at("by"), "anonymous");
  EXPECT_EQ(events[0].at("payload").at("request"), json::parse(body));
  EXPECT_EQ(events[0].at("payload").at("upstream_status"), 200);
}

TEST_F(ControlTest, ForceTransferIsTheOriginalServersAliasOfATransfer) {
  create_controlled_call();
  const auto response = http_.post("/api/acme/calls/c1/force-transfer",
                                   R"({"agent_phone_number": "+15551234567", "content": "Connecting you"})");
  ASSERT_EQ(response.status, 200u) << response.body;
  ASSERT_TRUE(upstream_.wait_for(1));
  EXPECT_EQ(json::parse(upstream_.received()[0].body), json::parse(R"({"type": "transfer",
      "destination": {"type": "number", "number": "+15551234567"}, "content": "Connecting you"})"));
  EXPECT_EQ(control_events().at(0).at("status"), "control:transfer");
}

TEST_F(ControlTest, ACallWithoutAControlUrlIs409AndAnEndedCallToo) {
  deliver("acme", status_update("plain", "in-progress"));
  auto response = control(R"({"type": "end-call"})", "plain");
  EXPECT_EQ(response.status, 409u);
  EXPECT_EQ(response.json_body().at("error").at("code"), "no_control_url");
  EXPECT_NE(response.json_body().at("error").at("message").get<std::string>().find("controlUrl"),
            std::string::npos);

  create_controlled_call("done");
  deliver("acme", status_update("done", "ended", {{"controlUrl", upstream_.url()}}));
  response = control(R"({"type": "end-call"})", "done");
  EXPECT_EQ(response.status, 409u);
  EXPECT_EQ(response.json_body().at("error").at("code"), "call_ended");
  EXPECT_EQ(control(R"({"type": "end-call"})", "nope").status, 404u);
  EXPECT_TRUE(upstream_.received().empty());
}

TEST_F(ControlTest, BadControlBodiesAre400AndNeverReachVapi) {
  create_controlled_call();
  for (const auto* body :
       {"", "nope", R"({"type": "sing"})", R"({"type": "say"})", R"({"type": "say", "content": ""})",
        R"({"type": "say", "content": "x", "endCallAfterSpoken": "yes"})",
        R"({"type": "end-call", "extra": 1})", R"({"type": "transfer"})",
        R"({"type": "transfer", "destination": {"type": "number", "number": "555"}})",
        R"({"type": "add-message", "message": {"role": "robot", "content": "x"}})",
        R"({"type": "control", "control": "explode"})"}) {
    const auto response = control(body);
    EXPECT_EQ(response.status, 400u) << body << ": " << response.body;
  }
  EXPECT_EQ(http_.post("/api/acme/calls/c1/force-transfer", R"({"content": "x"})").status, 400u);
  EXPECT_TRUE(upstream_.received().empty());
  EXPECT_TRUE(control_events().empty());
}

TEST_F(ControlTest, AVapiRefusalIsPassedOnAndRecordsNothing) {
  create_controlled_call();
  upstream_.answer(400, R"({"message": "call is not active"})");
  const auto response = control(R"({"type": "end-call"})");
  EXPECT_EQ(response.status, 400u);
  EXPECT_EQ(response.json_body().at("error").at("code"), "upstream_refused");
  EXPECT_EQ(response.json_body().at("upstream"), json::parse(R"({"message": "call is not active"})"));
  EXPECT_TRUE(control_events().empty());
}

TEST(ControlTimeoutTest, AControlUrlThatDoesNotAnswerIs504AndRecordsNothing) {
  server::ServerOptions options;
  options.control_timeout = 300ms;
  TestServer server(options);
  auto http = server.client();
  FakeControlUrl upstream;
  upstream.hold();
  const auto create = status_update("c1", "in-progress", {{"controlUrl", upstream.url()}});
  ASSERT_EQ(http.post("/webhooks/vapi/acme", create).status, 200u);
  const auto response = http.post("/api/acme/calls/c1/control", R"({"type": "end-call"})");
  EXPECT_EQ(response.status, 504u) << response.body;
  EXPECT_EQ(response.json_body().at("error").at("code"), "upstream_timeout");
  for (const auto& event : http.get("/api/debug/status-events/acme/c1").json_body()) {
    EXPECT_EQ(event.at("status").get<std::string>().rfind("control:", 0), std::string::npos);
  }
  upstream.answer(200, "{}");
}

TEST(ControlAccessTest, AControlNeedsTheTenantsTokenAndTheAuditNamesWhoAsked) {
  AccessConfig access;
  access.tenants["acme"].dashboard_token = "acme-token";
  access.admin_token = "admin-token";
  TestServer server({}, SyncMode::full, access);
  auto http = server.client();
  FakeControlUrl upstream;
  ASSERT_EQ(
      http.post("/webhooks/vapi/acme", status_update("c1", "in-progress", {{"controlUrl", upstream.url()}}))
          .status,
      200u);
  const auto body = R"({"type": "control", "control": "mute-assistant"})";
  EXPECT_EQ(http.post("/api/acme/calls/c1/control", body).status, 401u);
  EXPECT_EQ(http.post("/api/acme/calls/c1/control", body, {{"Authorization", "Bearer wrong"}}).status, 401u);
  ASSERT_EQ(http.post("/api/acme/calls/c1/control", body, {{"Authorization", "Bearer acme-token"}}).status,
            200u);
  ASSERT_EQ(http.post("/api/acme/calls/c1/control", body, {{"Authorization", "Bearer admin-token"}}).status,
            200u);
  const auto events =
      http.get("/api/debug/status-events/acme/c1", {{"Authorization", "Bearer admin-token"}}).json_body();
  std::vector<std::string> by;
  for (const auto& event : events) {
    if (event.at("status") == "control:mute-assistant") by.push_back(event.at("payload").at("by"));
  }
  EXPECT_EQ(by, (std::vector<std::string>{"tenant:acme", "admin"}));
  EXPECT_EQ(upstream.received().size(), 2u);
}

}  // namespace
}  // namespace vapidash::test
