#include <gtest/gtest.h>

#include <future>
#include <map>
#include <random>
#include <thread>

#include "support/test_server.hpp"
#include "vapidash/client/server_error.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/status.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

class FeedTest : public ServerTest {
 protected:
  json create(const std::string& client, const json& body) {
    const auto response = http_.post("/api/debug/create-test-call/" + client, dump_json(body));
    EXPECT_EQ(response.status, 200u) << response.body;
    return response.json_body();
  }
};

TEST_F(FeedTest, UpsertHasTheSeedShapeAndMatchesTheStoredRow) {
  auto feed = server_.feed();
  create("demo-client", {{"call_id", "abc123"}, {"phone_number", "+18005550000"}, {"status", "in-progress"}});
  const auto message = next_message(*feed);
  const auto row = http_.get("/api/demo-client/calls").json_body().at(0);
  EXPECT_EQ(message, json::parse(R"({"type": "call-upsert", "clientId": "demo-client",
      "call": {"id": "abc123", "status": "in-progress", "phoneNumber": "+18005550000",
               "startedAt": )" + dump_json(row.at("started_at")) +
                                 R"(, "endedAt": null, "listenUrl": null}, "cause": "debug"})"));
}

TEST_F(FeedTest, OneUpsertPerWriteInCommitOrder) {
  auto feed = server_.feed();
  std::vector<std::pair<std::string, std::string>> expected;
  for (int i = 0; i < 40; ++i) {
    const auto id = "call-" + std::to_string(i % 7);
    const auto status = "status-" + std::to_string(i);
    create("demo-client", {{"call_id", id}, {"status", status}});
    expected.emplace_back(id, status);
    // Logging an event changes no call, so it must not be broadcast.
    ASSERT_EQ(http_.post("/api/debug/log-status-event/demo-client/" + id, R"({"status": "noise"})").status,
              200u);
  }
  create("demo-client", {{"call_id", "sentinel"}});
  for (const auto& [id, status] : expected) {
    const auto message = next_message(*feed);
    EXPECT_EQ(message.at("call").at("id"), id);
    EXPECT_EQ(message.at("call").at("status"), status);
  }
  EXPECT_EQ(next_message(*feed).at("call").at("id"), "sentinel") << "an extra message was broadcast";
}

// Every status-update a writer sends for one of the race's calls, in the writer's own (random) order.
std::vector<std::string> race_deliveries(int writer) {
  static const std::vector<std::string> statuses = {"queued", "ringing", "in-progress", "forwarding",
                                                    "ended"};
  std::mt19937 random(static_cast<std::uint32_t>(writer));
  std::vector<std::string> bodies;
  for (int i = 0; i < 40; ++i) {
    const json message = {{"message",
                           {{"type", "status-update"},
                            {"status", statuses[random() % statuses.size()]},
                            {"call",
                             {{"id", "race-" + std::to_string(random() % 4)},
                              {"customer", {{"number", "+1555000000" + std::to_string(writer)}}}}}}}};
    bodies.push_back(dump_json(message));
  }
  return bodies;
}

// Six writers on six connections race on the same four calls while three dashboards watch. The feed must
// follow commit order: no dashboard sees a call's status move back, and each sees last what is stored.
TEST_F(FeedTest, ConcurrentWritersNeverMoveAFeedsCallBackwardsAndEndOnTheStoredCall) {
  std::vector<std::unique_ptr<FeedClient>> feeds;
  feeds.push_back(server_.feed());
  feeds.push_back(server_.feed());
  feeds.push_back(server_.feed("/ws/dashboard?client_id=race"));
  std::vector<std::thread> writers;
  for (int w = 0; w < 6; ++w) {
    writers.emplace_back([this, w] {
      auto http = server_.client();
      for (const auto& body : race_deliveries(w)) {
        const auto answer = http.post("/webhooks/vapi/race", body);
        EXPECT_EQ(answer.status, 200u) << answer.body;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  create("race", {{"call_id", "sentinel"}});

  for (std::size_t f = 0; f < feeds.size(); ++f) {
    std::map<std::string, json> last_seen;
    int upserts = 0;
    for (auto message = next_message(*feeds[f]); message.at("call").at("id") != "sentinel";
         message = next_message(*feeds[f])) {
      const auto id = message.at("call").at("id").get<std::string>();
      const auto status = message.at("call").at("status").get<std::string>();
      if (last_seen.count(id)) {
        const auto before = last_seen[id].at("status").get<std::string>();
        EXPECT_GE(status_rank(status), status_rank(before))
            << "feed " << f << " saw " << id << " move from " << before << " back to " << status;
      }
      last_seen[id] = message.at("call");
      ++upserts;
    }
    EXPECT_GE(upserts, 4) << "feed " << f;
    ASSERT_EQ(last_seen.size(), 4u) << "feed " << f;
    for (const auto& [id, call] : last_seen) {
      const auto stored = server_.store().find_call("race", id);
      ASSERT_TRUE(stored) << id;
      EXPECT_EQ(call, call_upsert_message(*stored, "").at("call"))
          << "feed " << f << " ended " << id << " stale";
    }
  }
}

TEST_F(FeedTest, ScopedFeedReceivesOnlyItsTenant) {
  auto scoped = server_.feed("/ws/dashboard?client_id=tenant-a");
  auto everyone = server_.feed();
  for (int i = 0; i < 10; ++i) {
    create(i % 2 == 0 ? "tenant-a" : "tenant-b", {{"call_id", "c" + std::to_string(i)}});
  }
  create("tenant-a", {{"call_id", "sentinel"}});
  for (int i = 0; i < 10; i += 2) {
    const auto message = next_message(*scoped);
    EXPECT_EQ(message.at("clientId"), "tenant-a");
    EXPECT_EQ(message.at("call").at("id"), "c" + std::to_string(i));
  }
  EXPECT_EQ(next_message(*scoped).at("call").at("id"), "sentinel");
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(next_message(*everyone).at("call").at("id"), "c" + std::to_string(i));
  }
}

// A webhook message for call `id` of the given type, with its fields.
std::string webhook_body(const std::string& type, const std::string& id, json fields = json::object()) {
  json message = {{"type", type}, {"call", {{"id", id}}}};
  message.update(fields);
  return dump_json(json{{"message", message}});
}

// ?events=1: every write's timeline entry, then the call-upsert it caused, in commit order; an event that
// changes no call arrives alone, a re-delivery not at all.
TEST_F(FeedTest, EventFeedGetsEveryTimelineEntryInCommitOrderWithTheUpserts) {
  auto feed = server_.feed("/ws/dashboard?events=1");
  const auto webhook = [&](const std::string& body) {
    const auto response = http_.post("/webhooks/vapi/demo-client", body);
    ASSERT_EQ(response.status, 200u) << response.body;
  };
  create("demo-client", {{"call_id", "e1"}, {"status", "ringing"}});
  ASSERT_EQ(http_
                .post("/api/debug/log-status-event/demo-client/e1",
                      R"({"status": "note", "payload": {"by": "ops"}})")
                .status,
            200u);
  const auto answered = webhook_body("status-update", "e1", {{"status", "in-progress"}, {"timestamp", 1000}});
  webhook(answered);
  webhook(answered);  // a re-delivery: nothing stored, nothing sent
  webhook(webhook_body(
      "transcript", "e1",
      {{"transcriptType", "final"}, {"role", "user"}, {"transcript", "hello"}, {"timestamp", 2000}}));
  webhook(
      webhook_body("speech-update", "e1", {{"status", "started"}, {"role", "user"}, {"timestamp", 3000}}));
  webhook(webhook_body("end-of-call-report", "e1",
                       {{"endedReason", "customer-ended-call"}, {"timestamp", 4000}}));

  const std::vector<std::pair<std::string, std::string>> expected = {{"status-event", "ringing"},
                                                                     {"call-upsert", "debug"},
                                                                     {"status-event", "note"},
                                                                     {"status-event", "in-progress"},
                                                                     {"call-upsert", "status-update"},
                                                                     {"status-event", "transcript"},
                                                                     {"call-upsert", "transcript"},
                                                                     {"transcript-update", "hello"},
                                                                     {"status-event", "speech-update"},
                                                                     {"status-event", "end-of-call-report"},
                                                                     {"call-upsert", "end-of-call-report"}};
  const auto timeline = http_.get("/api/debug/status-events/demo-client/e1").json_body();
  ASSERT_EQ(timeline.size(), 6u);
  std::size_t next_event = 0;
  for (const auto& [type, what] : expected) {
    const auto message = next_message(*feed);
    ASSERT_EQ(message.at("type"), type) << dump_json(message);
    EXPECT_EQ(message.at("clientId"), "demo-client");
    if (type == "call-upsert") {
      EXPECT_EQ(message.at("cause"), what) << dump_json(message);
      continue;
    }
    if (type == "transcript-update") {
      EXPECT_EQ(message.at("line").at("text"), what) << dump_json(message);
      continue;
    }
    EXPECT_EQ(message.at("callId"), "e1");
    EXPECT_EQ(message.at("event").at("status"), what);
    const auto& stored = timeline.at(next_event++);
    EXPECT_EQ(message.at("event"), (json{{"id", stored.at("id")},
                                         {"status", stored.at("status")},
                                         {"created_at", stored.at("created_at")},
                                         {"payload", stored.at("payload")},
                                         {"payload_form", stored.at("payload_form")}}));
  }
  create("demo-client", {{"call_id", "sentinel"}});
  EXPECT_EQ(next_message(*feed).at("type"), "status-event") << "an extra message was sent";
  EXPECT_EQ(next_message(*feed).at("call").at("id"), "sentinel");
}

// Dashboards written against the original feed never see a status-event.
TEST_F(FeedTest, DefaultFeedsReceiveOnlyCallUpserts) {
  auto plain = server_.feed();
  auto scoped = server_.feed("/ws/dashboard?client_id=demo-client");
  auto off = server_.feed("/ws/dashboard?events=0");
  create("demo-client", {{"call_id", "p1"}});
  ASSERT_EQ(http_.post("/api/debug/log-status-event/demo-client/p1", R"({"status": "note"})").status, 200u);
  ASSERT_EQ(http_.post("/webhooks/vapi/demo-client", webhook_body("speech-update", "p1", {{"timestamp", 1}}))
                .status,
            200u);
  create("demo-client", {{"call_id", "sentinel"}});
  for (auto* feed : {plain.get(), scoped.get(), off.get()}) {
    EXPECT_EQ(next_message(*feed).at("call").at("id"), "p1");
    const auto next = next_message(*feed);
    EXPECT_EQ(next.at("type"), "call-upsert") << dump_json(next);
    EXPECT_EQ(next.at("call").at("id"), "sentinel") << dump_json(next);
  }
}

TEST_F(FeedTest, EventFeedsAreScopedToTheirTenant) {
  auto scoped = server_.feed("/ws/dashboard?client_id=tenant-a&events=true");
  auto everyone = server_.feed("/ws/dashboard?events=1");
  for (int i = 0; i < 4; ++i) {
    const auto tenant = i % 2 == 0 ? "tenant-a" : "tenant-b";
    ASSERT_EQ(http_
                  .post("/api/debug/log-status-event/" + std::string(tenant) + "/c" + std::to_string(i),
                        R"({"status": "note"})")
                  .status,
              200u);
  }
  create("tenant-a", {{"call_id", "sentinel"}});
  for (const auto* id : {"c0", "c2", "sentinel"}) {
    const auto message = next_message(*scoped);
    EXPECT_EQ(message.at("clientId"), "tenant-a");
    EXPECT_EQ(message.at("callId"), id) << dump_json(message);
  }
  for (const auto* id : {"c0", "c1", "c2", "c3", "sentinel"})
    EXPECT_EQ(next_message(*everyone).at("callId"), id);
}

// The status and error code the server refused the upgrade of `target` with; {0, ""} when it accepted it.
std::pair<unsigned, std::string> refused_upgrade(const Endpoint& endpoint, const std::string& target) {
  FeedClient feed(endpoint, target, 5s);
  try {
    feed.connect();
  } catch (const server_error& e) {
    return {e.status(), e.body().at("error").at("code").get<std::string>()};
  }
  return {0, ""};
}

TEST_F(FeedTest, AnEventsValueOtherThanOneOrZeroIsRefused) {
  EXPECT_EQ(refused_upgrade(server_.endpoint(), "/ws/dashboard?events=yes"),
            (std::pair<unsigned, std::string>{400, "invalid_field"}));
}

TEST_F(FeedTest, InvalidScopeIsRefusedBeforeTheUpgrade) {
  EXPECT_EQ(refused_upgrade(server_.endpoint(), "/ws/dashboard?client_id=bad%20id"),
            (std::pair<unsigned, std::string>{400, "invalid_identifier"}));
}

// ping() returns only once the server's pong arrived; an upsert that comes first is kept for the next read.
TEST_F(FeedTest, PingsAreAnsweredWithAPongAndNoMessageIsLost) {
  auto feed = server_.feed();
  create("demo-client", {{"call_id", "before-ping"}});
  EXPECT_NO_THROW(feed->ping());
  EXPECT_NO_THROW(feed->ping());
  create("demo-client", {{"call_id", "after-ping"}});
  EXPECT_EQ(next_message(*feed).at("call").at("id"), "before-ping");
  EXPECT_EQ(next_message(*feed).at("call").at("id"), "after-ping");
}

TEST(FeedShutdownTest, StoppingTheServerClosesFeedsWithGoingAway) {
  TestServer server;
  auto feed = server.feed();
  server.server().stop();
  EXPECT_THROW(
      {
        while (feed->read(10s)) {
        }
      },
      connection_error);
  EXPECT_EQ(feed->close_reason().code, websocket::close_code::going_away);
}

// A dashboard whose socket never reads, with a tiny receive window, so the server's writes to it stall.
class StalledDashboard {
 public:
  explicit StalledDashboard(const Endpoint& endpoint) : ws_(ioc_) {
    auto& socket = ws_.next_layer().socket();
    socket.open(tcp::v4());
    socket.set_option(net::socket_base::receive_buffer_size(4096));
    socket.connect(tcp::endpoint(net::ip::make_address(endpoint.host), endpoint.port));
    ws_.handshake(endpoint.host, "/ws/dashboard");
  }

  // Reads (now that the server gave up on us) until the connection ends; returns how it ended.
  beast::error_code drain() {
    beast::error_code ended;
    beast::flat_buffer buffer;
    std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec, std::size_t) {
      buffer.consume(buffer.size());
      if (ec) {
        ended = ec;
        return;
      }
      ws_.async_read(buffer, on_read);
    };
    beast::get_lowest_layer(ws_).expires_after(10s);
    ws_.async_read(buffer, on_read);
    ioc_.run();
    return ended;
  }
  websocket::close_reason reason() const { return ws_.reason(); }

 private:
  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
};

TEST(FeedSlowConsumerTest, ASocketThatStopsReadingIsClosedAndOthersKeepReceiving) {
  server::ServerOptions options;
  options.feed_queue_bytes = 512 * 1024;
  TestServer server(options, SyncMode::normal);
  auto http = server.client();
  StalledDashboard stalled(server.endpoint());
  auto healthy = server.feed();
  ASSERT_EQ(server.server().hub().connected(), 2u);

  // The healthy dashboard reads on its own thread while writes flood the feed.
  std::promise<int> writes_done;
  auto total_writes = writes_done.get_future().share();
  auto reader = std::async(std::launch::async, [&] {
    int received = 0;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (total_writes.wait_for(0s) == std::future_status::ready && received >= total_writes.get()) break;
      const auto text = healthy->read(100ms);
      if (!text) continue;
      const auto id = json::parse(*text).at("call").at("id").get<std::string>();
      if (id != "c" + std::to_string(received)) return -1;  // out of order or missing
      ++received;
    }
    return received;
  });

  const std::string big_phone(64 * 1024, '5');
  int writes = 0;
  while (server.server().hub().dropped() == 0 && writes < 2000) {
    const auto body = json{{"call_id", "c" + std::to_string(writes)}, {"phone_number", big_phone}};
    ASSERT_EQ(http.post("/api/debug/create-test-call/demo-client", dump_json(body)).status, 200u);
    ++writes;
  }
  writes_done.set_value(writes);
  ASSERT_EQ(server.server().hub().dropped(), 1u) << "the stalled dashboard was never dropped";
  EXPECT_EQ(reader.get(), writes) << "the healthy dashboard missed or reordered messages";
  EXPECT_EQ(server.server().hub().connected(), 1u);

  const auto ended = stalled.drain();
  EXPECT_TRUE(ended == websocket::error::closed || ended == net::error::eof ||
              ended == net::error::connection_reset)
      << ended.message();
  if (ended == websocket::error::closed) {
    EXPECT_EQ(stalled.reason().code, websocket::close_code::policy_error);
  }
}

}  // namespace
}  // namespace vapidash::test
