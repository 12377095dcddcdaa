// `vapidash load` run as the real binary against a real server: the counts of a short run add up exactly,
// thresholds decide the exit code, and the open model keeps its schedule when the server is slow.

#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <thread>

#include "cli_test_support.hpp"
#include "support/decorated_server.hpp"
#include "support/temp_dir.hpp"

namespace vapidash::test::load {

using cli::run_against;
using cli::run_vapidash;
using cli::stdout_json;

std::string load_scenario(const std::string& name) {
  return std::string(VAPIDASH_SOURCE_DIR) + "/scenarios/load/" + name;
}

std::string test_scenario(const std::string& name) {
  return std::string(VAPIDASH_SOURCE_DIR) + "/tests/data/scenarios/load/" + name;
}

std::size_t stored_calls(const TestServer& server, const std::string& client) {
  const auto answer = json::parse(server.client().get("/api/" + client + "/calls?limit=1000").body);
  return answer.size();
}

TEST(CliLoad, AShortRunsCountsAddUpExactly) {
  TestServer server;
  const auto result = run_against(server.endpoint(), {"load", test_scenario("four-webhooks.json"), "--rate",
                                                      "20", "--calls", "30", "--dashboards", "3", "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto summary = stdout_json(result);
  EXPECT_EQ(summary["calls"]["scheduled"], 30);
  EXPECT_EQ(summary["calls"]["started"], 30);
  EXPECT_EQ(summary["calls"]["completed"], 30);
  EXPECT_EQ(summary["dropped"], 0);
  EXPECT_EQ(summary["requests"], 30 * 4);
  EXPECT_EQ(summary["errors"], 0);
  EXPECT_EQ(summary["http"]["count"], 30 * 4);
  EXPECT_EQ(summary["http"]["by_action"]["webhook"]["count"], 30 * 4);
  // The speech update is logged, never broadcast: three upserts per call reach each dashboard.
  const auto& delivery = summary["delivery"];
  EXPECT_EQ(delivery["dashboards"], 3);
  EXPECT_EQ(delivery["expected"], 30 * 3 * 3);
  EXPECT_EQ(delivery["received"], 30 * 3 * 3);
  EXPECT_EQ(delivery["count"], 30 * 3 * 3);
  EXPECT_EQ(summary["lost"], 0);
  EXPECT_EQ(summary["duplicated"], 0);
  EXPECT_EQ(summary["reordered"], 0);
  EXPECT_EQ(summary["failed_feeds"], 0);
  for (const auto* key : {"p50", "p90", "p99", "p999", "max"}) {
    EXPECT_TRUE(summary["http"][key].is_number()) << key;
    EXPECT_TRUE(delivery[key].is_number()) << key;
  }
  EXPECT_LE(summary["http"]["p50"].get<double>(), summary["http"]["max"].get<double>());
  EXPECT_EQ(summary["skipped_expectations"], 1);
  EXPECT_EQ(stored_calls(server, "load-test"), 30u);
}

TEST(CliLoad, ForRunsTheScheduleForThatLongAndOutWritesEveryRequestAndDelivery) {
  TestServer server;
  TempDir dir;
  const auto records = dir.file("records.jsonl");
  const auto result =
      run_against(server.endpoint(), {"load", load_scenario("status-update.json"), "--rate", "25", "--for",
                                      "2s", "--dashboards", "2", "--out", records, "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto summary = stdout_json(result);
  EXPECT_EQ(summary["calls"]["scheduled"], 50);
  EXPECT_EQ(summary["requests"], 50);
  EXPECT_EQ(summary["delivery"]["received"], 100);
  std::ifstream in(records);
  std::size_t requests = 0, deliveries = 0;
  for (std::string line; std::getline(in, line);) {
    const auto record = json::parse(line);
    const auto type = record["type"].get<std::string>();
    EXPECT_TRUE(record["latency_ms"].is_number()) << line;
    (type == "request" ? requests : deliveries)++;
  }
  EXPECT_EQ(requests, 50u);
  EXPECT_EQ(deliveries, 100u);
  EXPECT_EQ(stored_calls(server, "load-client"), 50u);
}

TEST(CliLoad, AViolatedThresholdIsExitOneAndNamed) {
  TestServer server;
  const auto result =
      run_against(server.endpoint(), {"load", load_scenario("status-update.json"), "--rate", "50", "--calls",
                                      "5", "--threshold", "errors==0", "--threshold", "requests<1"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, ::testing::HasSubstr("requests<1: measured 5"));
  EXPECT_THAT(result.err, ::testing::Not(::testing::HasSubstr("errors==0:")));
  EXPECT_THAT(result.out, ::testing::HasSubstr("✗ requests<1"));
  EXPECT_THAT(result.out, ::testing::HasSubstr("✓ errors==0"));
}

TEST(CliLoad, AnUnknownMetricIsAUsageErrorAndSendsNothing) {
  TestServer server;
  const auto result = run_against(server.endpoint(), {"load", load_scenario("status-update.json"), "--rate",
                                                      "50", "--calls", "5", "--threshold", "http.p98<20ms"});
  EXPECT_EQ(result.code, 2) << result.all();
  EXPECT_THAT(result.err, ::testing::HasSubstr("http.p98"));
  EXPECT_THAT(result.err, ::testing::HasSubstr("http.p99"));
  EXPECT_EQ(stored_calls(server, "load-client"), 0u);
}

TEST(CliLoad, UsageErrorsExitTwo) {
  const auto scenario = load_scenario("status-update.json");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"load", scenario, "--rate", "10"},                                 // neither --calls nor --for
           {"load", scenario, "--rate", "10", "--calls", "5", "--for", "1s"},  // both
           {"load", scenario, "--calls", "5"},                                 // no rate
           {"load", scenario, "--rate", "10", "--calls", "5", "--ramp-to", "20"},  // ramp without its length
           {"load", scenario, "--rate", "10", "--for", "1x"},                      // bad duration
           {"load", test_scenario("uses-an-answer.json"), "--rate", "10", "--calls", "1"},
       }) {
    const auto result = run_vapidash(args);
    EXPECT_EQ(result.code, 2) << result.all();
    EXPECT_FALSE(result.err.empty()) << result.all();
  }
}

TEST(CliLoad, AnUnreachableServerIsExitThree) {
  const auto result = run_vapidash({"--server", "http://127.0.0.1:1", "load",
                                    load_scenario("status-update.json"), "--rate", "10", "--calls", "5"});
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, ::testing::HasSubstr("127.0.0.1:1"));
}

TEST(CliLoad, EmbeddedNeedsNoServerAndAStalledDashboardIsNotCountedAsLoss) {
  const auto result =
      run_vapidash({"load", load_scenario("status-update.json"), "--embedded", "--rate", "100", "--calls",
                    "20", "--dashboards", "2", "--stalled-dashboards", "1", "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto summary = stdout_json(result);
  EXPECT_EQ(summary["requests"], 20);
  const auto& delivery = summary["delivery"];
  EXPECT_EQ(delivery["dashboards"], 1);
  EXPECT_EQ(delivery["received"], 20);
  EXPECT_EQ(delivery["lost"], 0);
  EXPECT_EQ(delivery["stalled"]["dashboards"], 1);
  EXPECT_EQ(delivery["stalled"]["closed"], json::object()) << "20 messages are far below the server's limit";
}

// Holds every write's answer back for `delay` (the write itself is done at once), on a thread of its own, so
// the server stays responsive while its answers are slow.
class SlowAnswersStore : public ForwardingStore {
 public:
  SlowAnswersStore(Store& inner, std::chrono::milliseconds delay)
      : ForwardingStore(inner), delay_(delay), thread_([this] { deliver(); }) {}
  ~SlowAnswersStore() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  void apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) override {
    inner().apply(
        std::move(update), [this, done = std::move(done)](WriteResult<CallUpdateOutcome> result) mutable {
          std::lock_guard lock(mutex_);
          queue_.push_back(
              {std::chrono::steady_clock::now() + delay_,
               [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); }});
          wake_.notify_one();
        });
  }

 private:
  struct Held {
    std::chrono::steady_clock::time_point due;
    std::function<void()> answer;
  };

  void deliver() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (queue_.empty()) {
        wake_.wait(lock);
        continue;
      }
      if (wake_.wait_until(lock, queue_.front().due) == std::cv_status::no_timeout) continue;
      auto held = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      held.answer();
      lock.lock();
    }
  }

  std::chrono::milliseconds delay_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Held> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

TEST(CliLoad, TheOpenModelKeepsItsScheduleWhenTheServerIsSlow) {
  DecoratedServer server(
      [](Store& real) { return std::make_unique<SlowAnswersStore>(real, std::chrono::milliseconds(300)); });
  // Two connections answering in 300 ms carry under 7 requests/s; calls start at 40/s regardless, and once
  // four are running the rest are dropped, and counted.
  const auto result = run_against(server.endpoint(),
                                  {"load", load_scenario("status-update.json"), "--rate", "40", "--for", "1s",
                                   "--connections", "2", "--threads", "1", "--max-in-flight", "4", "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto summary = stdout_json(result);
  EXPECT_EQ(summary["calls"]["scheduled"], 40);
  EXPECT_GE(summary["start_rate_achieved"].get<double>(), 36.0);
  EXPECT_GT(summary["dropped"].get<int>(), 20);
  EXPECT_EQ(summary["calls"]["started"].get<int>() + summary["dropped"].get<int>(), 40);
  EXPECT_EQ(summary["requests"], summary["calls"]["started"]);
  EXPECT_EQ(summary["errors"], 0);
  // Latency counts from the intended send time, so a request that waited for a connection shows it.
  EXPECT_GE(summary["http"]["p50"].get<double>(), 300.0);
  EXPECT_GE(summary["http"]["max"].get<double>(), 500.0);
}

}  // namespace vapidash::test::load
