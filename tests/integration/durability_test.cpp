#include <gtest/gtest.h>
#include <signal.h>

#include <regex>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/client/http_client.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

// `vapidash serve` as a child process on a free port; reads the port from its start-up line.
class ServeProcess {
 public:
  ServeProcess(const std::string& db, const std::string& sync)
      : child_({VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", db, "--sync", sync}) {
    const auto line = child_.wait_for_stdout_line("serving http://", 30s);
    std::smatch match;
    if (!std::regex_search(line, match, std::regex(R"(http://127\.0\.0\.1:(\d+))"))) {
      throw std::runtime_error("no port in: " + line);
    }
    endpoint_ = Endpoint{"127.0.0.1", static_cast<std::uint16_t>(std::stoi(match[1]))};
  }
  const Endpoint& endpoint() const { return endpoint_; }
  ChildProcess& process() { return child_; }

 private:
  ChildProcess child_;
  Endpoint endpoint_;
};

class DurabilityTest : public ::testing::TestWithParam<const char*> {};

TEST_P(DurabilityTest, EveryAcknowledgedWriteSurvivesSigkill) {
  TempDir dir;
  const auto db = dir.file("calls.db");
  std::vector<std::string> acknowledged_calls;
  std::vector<std::int64_t> acknowledged_events;
  {
    ServeProcess serve(db, GetParam());
    // Several clients at once, so writes share group commits when the process dies.
    std::vector<std::thread> writers;
    std::mutex mutex;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        HttpClient http(serve.endpoint(), 10s);
        for (int i = 0; i < 50; ++i) {
          const auto id = "w" + std::to_string(w) + "-" + std::to_string(i);
          const auto created =
              http.post("/api/debug/create-test-call/durable", R"({"call_id": ")" + id + R"("})");
          const auto logged = http.post("/api/debug/log-status-event/durable/" + id,
                                        R"({"status": "logged", "payload": {"i": 1}})");
          std::lock_guard lock(mutex);
          if (created.status == 200) acknowledged_calls.push_back(id);
          if (logged.status == 200) acknowledged_events.push_back(logged.json_body().at("event_id"));
        }
      });
    }
    for (auto& writer : writers) writer.join();
    serve.process().signal(SIGKILL);
    EXPECT_EQ(serve.process().wait(10s), 128 + SIGKILL);
  }
  ASSERT_EQ(acknowledged_calls.size(), 200u);

  ServeProcess restarted(db, GetParam());
  HttpClient http(restarted.endpoint(), 10s);
  const auto calls = http.get("/api/durable/calls").json_body();
  std::set<std::string> stored;
  for (const auto& call : calls) stored.insert(call.at("id").get<std::string>());
  for (const auto& id : acknowledged_calls)
    EXPECT_TRUE(stored.count(id)) << id << " was acknowledged but lost";

  std::set<std::int64_t> stored_events;
  for (const auto& id : acknowledged_calls) {
    for (const auto& event : http.get("/api/debug/status-events/durable/" + id).json_body()) {
      stored_events.insert(event.at("id").get<std::int64_t>());
    }
  }
  for (auto id : acknowledged_events) EXPECT_TRUE(stored_events.count(id)) << "event " << id << " was lost";
}

INSTANTIATE_TEST_SUITE_P(SyncModes, DurabilityTest, ::testing::Values("full", "normal"));

TEST(GracefulStopTest, SigtermFinishesAndExitsZero) {
  TempDir dir;
  ServeProcess serve(dir.file("calls.db"), "full");
  HttpClient http(serve.endpoint(), 10s);
  ASSERT_EQ(http.post("/api/debug/create-test-call/demo", R"({"call_id": "before-stop"})").status, 200u);
  serve.process().signal(SIGTERM);
  EXPECT_EQ(serve.process().wait(15s), 0) << serve.process().out() << serve.process().err();
}

}  // namespace
}  // namespace vapidash::test
