// Several `vapidash serve` processes on one PostgreSQL database (the cluster pg_virtualenv started for this
// suite): fan-out across servers, concurrent merges, dedupe, a server killed under load, PostgreSQL
// restarted, and configurations that cannot work.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"
#include "support/files.hpp"
#include "support/scratch_database.hpp"
#include "support/serve_banner.hpp"
#include "support/test_server.hpp"
#include "vapidash/client/feed_client.hpp"
#include "vapidash/client/http_client.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

const std::string example_call_id = "a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71";

// One `vapidash serve` on `conninfo`, on a port of its own.
class Instance {
 public:
  explicit Instance(const std::string& conninfo)
      : process_(
            {VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", conninfo, "--log-level", "warn"}),
        endpoint_(served_endpoint(process_.wait_for_stdout_line("serving http://", 60s))) {}

  Endpoint endpoint() const { return endpoint_; }
  HttpClient client() const { return HttpClient(endpoint_, 20s); }
  std::unique_ptr<FeedClient> feed(const std::string& target) const {
    auto feed = std::make_unique<FeedClient>(endpoint_, target, 20s);
    feed->connect();
    return feed;
  }
  ChildProcess& process() { return process_; }

 private:
  ChildProcess process_;
  Endpoint endpoint_;
};

// An example webhook of tests/data/vapi, about call `call_id` instead of the example's.
std::string webhook(const std::string& name, const std::string& call_id) {
  auto text = read_text(examples_dir + "/" + name + ".json");
  for (auto at = text.find(example_call_id); at != std::string::npos; at = text.find(example_call_id, at))
    text.replace(at, example_call_id.size(), call_id);
  return text;
}

HttpResponse post(const Instance& server, const std::string& target, const std::string& body) {
  return server.client().post(target, body);
}

// The next call-upsert on `feed` (status events and transcript updates are skipped).
json next_upsert(FeedClient& feed) {
  for (;;) {
    auto message = next_message(feed);
    if (message.at("type") == "call-upsert") return message;
  }
}

class ScaleOutTest : public ::testing::Test {
 protected:
  ScratchDatabase database_;
  Instance a_{database_.conninfo()};
  Instance b_{database_.conninfo()};
};

TEST_F(ScaleOutTest, AWebhookSentToAReachesDashboardsOnBothAndOnlyOfItsTenant) {
  auto on_b = b_.feed("/ws/dashboard?client_id=acme");
  auto on_a = a_.feed("/ws/dashboard?client_id=acme");
  auto other_tenant_on_b = b_.feed("/ws/dashboard?client_id=other");

  const auto sent = post(a_, "/webhooks/vapi/acme", webhook("status-update-ringing", "fan-1"));
  ASSERT_EQ(sent.status, 200u) << sent.body;
  for (auto* feed : {on_b.get(), on_a.get()}) {
    const auto upsert = next_upsert(*feed);
    EXPECT_EQ(upsert.at("clientId"), "acme");
    EXPECT_EQ(upsert.at("call").at("id"), "fan-1");
    EXPECT_EQ(upsert.at("call").at("status"), "ringing");
    EXPECT_EQ(upsert.at("cause"), "status-update");
  }

  // The other tenant's feed hears its own call first: acme's never reached it. Acme's feeds hear their
  // sentinel next: the ringing upsert came once.
  ASSERT_EQ(post(b_, "/api/debug/create-test-call/other", R"({"call_id": "sentinel"})").status, 200u);
  EXPECT_EQ(next_upsert(*other_tenant_on_b).at("call").at("id"), "sentinel");
  ASSERT_EQ(post(b_, "/api/debug/create-test-call/acme", R"({"call_id": "sentinel"})").status, 200u);
  for (auto* feed : {on_b.get(), on_a.get()}) EXPECT_EQ(next_upsert(*feed).at("call").at("id"), "sentinel");
}

TEST_F(ScaleOutTest, EachChangeReachesAFeedOnceAndACallsChangesInCommitOrder) {
  auto on_b = b_.feed("/ws/dashboard?client_id=acme");
  const std::vector<std::string> order{"status-update-ringing", "status-update-in-progress",
                                       "status-update-ended"};
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& server = i % 2 == 0 ? a_ : b_;
    ASSERT_EQ(post(server, "/webhooks/vapi/acme", webhook(order[i], "ordered")).status, 200u);
  }
  ASSERT_EQ(post(a_, "/api/debug/create-test-call/acme", R"({"call_id": "sentinel"})").status, 200u);
  std::vector<std::string> statuses;
  for (;;) {
    const auto upsert = next_upsert(*on_b);
    if (upsert.at("call").at("id") == "sentinel") break;
    statuses.push_back(upsert.at("call").at("status"));
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"ringing", "in-progress", "ended"}));
}

TEST_F(ScaleOutTest, AnnouncementsTooLargeForNotifyTravelByReference) {
  ASSERT_EQ(post(a_, "/webhooks/vapi/acme", webhook("status-update-in-progress", "long-talk")).status, 200u);
  auto on_b = b_.feed("/ws/dashboard?client_id=acme");
  // Every transcript-update carries the call's whole transcript: by the tenth 1,000-character line it is
  // past NOTIFY's 8,000 bytes.
  const std::string words(1000, 'w');
  for (int line = 1; line <= 10; ++line) {
    auto message = parse_json(webhook("transcript-final", "long-talk"));
    message["message"]["transcript"] = std::to_string(line) + words;
    message["message"]["timestamp"] = 1795707803345 + line;
    ASSERT_EQ(post(a_, "/webhooks/vapi/acme", message.dump()).status, 200u);
  }
  json last;
  for (int heard = 0; heard < 10;) {
    auto message = next_message(*on_b);
    if (message.at("type") != "transcript-update") continue;
    ++heard;
    last = std::move(message);
  }
  EXPECT_EQ(last.at("line").at("text"), "10" + words);
  EXPECT_GT(last.dump().size(), 10'000u);
  const auto metrics = a_.client().get("/metrics").body;
  EXPECT_EQ(metrics.find("vapidash_pg_notifications_by_reference_total 0\n"), std::string::npos) << metrics;
}

// What a call's detail says once every message has been merged, without the server's own timestamps.
json merged_state(const Instance& server, const std::string& call_id) {
  const auto response = server.client().get("/api/acme/calls/" + call_id);
  EXPECT_EQ(response.status, 200u) << response.body;
  auto detail = response.json_body();
  for (const auto* volatile_field : {"id", "created_at", "updated_at"}) detail.erase(volatile_field);
  return detail;
}

// The end-of-call report's recording, whose URL names the call.
std::string webhook_url_of(const std::string& call_id) {
  return "https://storage.example-vapi.test/" + call_id + "-mono.wav";
}

TEST_F(ScaleOutTest, EveryDeliveryOrderSplitAcrossBothServersConcurrentlyConverges) {
  std::vector<std::string> messages{"status-update-ringing", "status-update-in-progress",
                                    "status-update-ended", "end-of-call-report"};
  for (std::size_t i = 0; i < messages.size(); ++i) {
    ASSERT_EQ(post(a_, "/webhooks/vapi/acme", webhook(messages[i], "in-order")).status, 200u);
  }
  const auto expected = merged_state(a_, "in-order");
  EXPECT_EQ(expected.at("status"), "ended");
  EXPECT_EQ(expected.at("recording_url"), webhook_url_of("in-order"));

  std::sort(messages.begin(), messages.end());
  int permutation = 0;
  do {
    const auto call_id = "order-" + std::to_string(++permutation);
    std::vector<std::future<unsigned>> sent;
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const auto& server = i % 2 == 0 ? a_ : b_;
      sent.push_back(std::async(std::launch::async, [&server, body = webhook(messages[i], call_id)] {
        return post(server, "/webhooks/vapi/acme", body).status;
      }));
    }
    for (auto& status : sent) ASSERT_EQ(status.get(), 200u) << call_id;
    const auto on_a = merged_state(a_, call_id);
    EXPECT_EQ(on_a, merged_state(b_, call_id)) << call_id;
    for (const auto* field :
         {"status", "ended_reason", "summary", "cost", "transcript", "duration_seconds", "phone_number"}) {
      EXPECT_EQ(on_a.at(field), expected.at(field)) << call_id << " " << field;
    }
    EXPECT_EQ(on_a.at("recording_url"), webhook_url_of(call_id)) << call_id;
  } while (std::next_permutation(messages.begin(), messages.end()));
  EXPECT_EQ(permutation, 24);
}

TEST_F(ScaleOutTest, ADuplicateDeliveredOnceToEachServerAtOnceIsStoredOnce) {
  ASSERT_EQ(post(a_, "/webhooks/vapi/acme", webhook("status-update-ringing", "dup")).status, 200u);
  for (int round = 0; round < 10; ++round) {
    const auto body = webhook("status-update-in-progress", "dup");
    auto to_a = std::async(std::launch::async, [&] { return post(a_, "/webhooks/vapi/acme", body); });
    auto to_b = std::async(std::launch::async, [&] { return post(b_, "/webhooks/vapi/acme", body); });
    const auto first = to_a.get();
    const auto second = to_b.get();
    ASSERT_EQ(first.status, 200u) << first.body;
    ASSERT_EQ(second.status, 200u) << second.body;
    const auto duplicates =
        first.json_body().value("duplicate", false) + second.json_body().value("duplicate", false);
    EXPECT_EQ(duplicates, round == 0 ? 1 : 2) << "round " << round;
  }
  const auto events = a_.client().get("/api/debug/status-events/acme/dup").json_body();
  EXPECT_EQ(events.size(), 2u) << "ringing, and in-progress once: " << events.dump();
}

TEST_F(ScaleOutTest, KillingOneServerUnderLoadLosesNoAcknowledgedWrite) {
  auto on_b = b_.feed("/ws/dashboard?client_id=load");
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      const auto id = "k" + std::to_string(i);
      try {
        const auto response =
            a_.client().post("/api/debug/create-test-call/load", R"({"call_id": ")" + id + "\"}");
        if (response.status == 200u) acknowledged.push_back(id);
      } catch (const std::exception&) {
        return;  // the server is gone
      }
    }
  });
  std::set<std::string> heard_on_b;
  while (heard_on_b.size() < 100)
    heard_on_b.insert(next_upsert(*on_b).at("call").at("id").get<std::string>());
  a_.process().signal(SIGKILL);
  stop = true;
  writer.join();
  // B heard 100 calls, so A had acknowledged nearly as many (a last answer may not have reached the writer).
  ASSERT_GE(acknowledged.size(), 90u);

  for (const auto& id : acknowledged) {
    EXPECT_EQ(b_.client().get("/api/load/calls/" + id).status, 200u) << id << " was acknowledged, then lost";
  }
  // B keeps serving, and its dashboard keeps hearing, everything A committed before it died included.
  ASSERT_EQ(post(b_, "/api/debug/create-test-call/load", R"({"call_id": "after"})").status, 200u);
  for (;;) {
    const auto id = next_upsert(*on_b).at("call").at("id").get<std::string>();
    if (id == "after") break;
    heard_on_b.insert(id);
  }
  for (const auto& id : acknowledged)
    EXPECT_TRUE(heard_on_b.count(id)) << id << " never reached B's dashboard";
}

}  // namespace
}  // namespace vapidash::test
