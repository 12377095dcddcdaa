// Live monitoring end to end: `vapidash simulate` plays VAPI (webhooks, listen and control URLs), a real
// server relays and forwards, and the real CLI listens and acts, as a supervisor would.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>

#include "cli_test_support.hpp"
#include "simulate_support.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/auth/access.hpp"
#include "vapidash/simulate/audio.hpp"
#include "vapidash/simulate/call_script.hpp"

namespace vapidash::test::cli {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class CliMonitorTest : public CliTest {
 protected:
  json stored_call(const std::string& id) { return get_json("/api/demo-client/calls/" + id); }
  json timeline(const std::string& id) { return get_json("/api/debug/status-events/demo-client/" + id); }
  std::vector<std::string> statuses(const std::string& id) {
    std::vector<std::string> found;
    for (const auto& event : timeline(id)) found.push_back(event.at("status").get<std::string>());
    return found;
  }
  std::size_t control_entries(const std::string& id) {
    const auto all = statuses(id);
    return static_cast<std::size_t>(std::count_if(
        all.begin(), all.end(), [](const std::string& status) { return status.rfind("control:", 0) == 0; }));
  }
  // A live call whose VAPI control URL is `control_url`, without a listen URL.
  void live_call(const std::string& id, const std::string& control_url) {
    json message{{"type", "status-update"}, {"status", "in-progress"}, {"call", {{"id", id}}}};
    if (!control_url.empty()) message["call"]["monitor"] = {{"controlUrl", control_url}};
    post_json("/webhooks/vapi/demo-client", dump_json(json{{"message", message}}));
  }
};

// A transcript line as the feed carried it.
struct HeardLine {
  std::string text;
  bool final = false;
};

std::vector<HeardLine> transcript_until_ended(FeedClient& feed, const std::string& call_id,
                                              std::string& last_full_transcript) {
  std::vector<HeardLine> heard;
  for (;;) {
    const auto message = next_message(feed);
    const auto type = message.value("type", "");
    if (type == "transcript-update" && message.at("callId") == call_id) {
      heard.push_back({message.at("line").at("text"), message.at("line").at("final")});
      if (message.contains("fullTranscript")) last_full_transcript = message.at("fullTranscript");
    }
    if (type == "call-upsert" && message.at("call").at("id") == call_id &&
        message.at("call").at("status") == "ended") {
      return heard;
    }
  }
}

TEST_F(CliMonitorTest, ASubscribedFeedHearsEachTurnGrowThenItsFinalLineAndOnlyFinalsAreStored) {
  // The call exists before VAPI rings it, so the subscription is in place before the first partial line.
  post_json("/api/debug/create-test-call/demo-client", R"({"call_id": "live-1", "status": "queued"})");
  auto feed = server_.feed("/ws/dashboard?client_id=demo-client");
  feed->send(R"({"type": "subscribe", "callId": "live-1"})");
  EXPECT_EQ(next_message(*feed).at("type"), "subscribed");
  SimulateRun run(server_.endpoint(), {"--call-length", "4s", "--call-prefix", "live"});
  std::string full_transcript;
  const auto heard = transcript_until_ended(*feed, "live-1", full_transcript);
  ASSERT_EQ(run.process().wait(30s), 0) << run.process().out() << run.process().err();

  const auto plan = default_call_plan();
  std::size_t at = 0;
  std::string expected_full;
  for (const auto& turn : plan.turns) {
    std::size_t partials = 0;
    for (; at < heard.size() && !heard[at].final; ++at, ++partials) {
      EXPECT_EQ(turn.text.rfind(heard[at].text, 0), 0u)
          << "a partial line is the start of what is being said: " << heard[at].text;
      EXPECT_LT(heard[at].text.size(), turn.text.size());
    }
    EXPECT_GE(partials, 1u) << "partial lines of \"" << turn.text << "\" before its final line";
    ASSERT_LT(at, heard.size()) << "no final line for \"" << turn.text << "\"";
    EXPECT_EQ(heard[at].text, turn.text);
    ++at;
    expected_full += (expected_full.empty() ? "" : "\n") + turn.role + ": " + turn.text;
  }
  EXPECT_EQ(at, heard.size()) << "nothing after the last final line";
  EXPECT_EQ(full_transcript, expected_full);

  const auto transcript = stored_call("live-1").at("transcript");
  ASSERT_EQ(transcript.size(), plan.turns.size()) << transcript;
  for (std::size_t i = 0; i < plan.turns.size(); ++i) EXPECT_EQ(transcript[i].at("text"), plan.turns[i].text);
}

TEST_F(CliMonitorTest, ListeningThroughTheServerRecordsTheSimulatorsTonesOnTheRightChannels) {
  SimulateRun run(server_.endpoint(), {"--hold", "--call-length", "4s", "--call-prefix", "lis"});
  run.wait_answered();
  TempDir dir;
  const auto path = dir.file("lis-1.wav");
  const auto result = vapidash({"listen", "demo-client", "lis-1", "--for", "2s", "--out", path, "--json"});
  ASSERT_EQ(result.code, 0) << result.all();

  const auto wav = read_text(path);
  constexpr std::uint32_t data_bytes = 2 * 16000 * 4;  // 2 s of two 16-bit channels
  ASSERT_NO_FATAL_FAILURE(expect_pcm_wav(wav, 2, data_bytes));
  const auto pcm = wav.substr(44);
  EXPECT_NEAR(tone_frequency(channel_of(pcm, customer_channel)), customer_tone_hz, customer_tone_hz * 0.02);
  EXPECT_NEAR(tone_frequency(channel_of(pcm, assistant_channel)), assistant_tone_hz,
              assistant_tone_hz * 0.02);

  EXPECT_EQ(run.control("lis-1", R"({"type": "end-call"})").status, 200u);
  EXPECT_EQ(run.process().wait(20s), 0) << run.process().out() << run.process().err();
}

TEST_F(CliMonitorTest, TransferThroughTheServerEndsTheCallAsForwardedWithTheAuditEvent) {
  SimulateRun run(server_.endpoint(), {"--hold", "--call-length", "4s", "--call-prefix", "xfer"});
  run.wait_answered();
  const auto result = vapidash({"--json", "control", "demo-client", "xfer-1", "transfer", "+16505550178",
                                "--message", "Connecting you to a person now."});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto answer = stdout_json(result);
  EXPECT_EQ(answer.at("upstream_status"), 200);
  ASSERT_EQ(run.process().wait(20s), 0) << run.process().out() << run.process().err();

  const auto call = stored_call("xfer-1");
  EXPECT_EQ(call.at("status"), "ended");
  EXPECT_EQ(call.at("ended_reason"), "assistant-forwarded-call");
  json audit;
  for (const auto& event : timeline("xfer-1")) {
    if (event.at("status") == "control:transfer") audit = event;
  }
  ASSERT_TRUE(audit.is_object()) << json(statuses("xfer-1"));
  EXPECT_EQ(audit.at("id"), answer.at("event_id"));
  EXPECT_EQ(audit.at("payload").at("by"), "anonymous");
  EXPECT_EQ(audit.at("payload").at("upstream_status"), 200);
  EXPECT_EQ(audit.at("payload").at("request"),
            json::parse(R"({"type": "transfer", "destination": {"type": "number", "number": "+16505550178"},
                            "content": "Connecting you to a person now."})"));
  const auto all = statuses("xfer-1");
  const auto position = [&](const std::string& status) {
    return std::find(all.begin(), all.end(), status) - all.begin();
  };
  EXPECT_LT(position("in-progress"), position("control:transfer"));
  EXPECT_LT(position("forwarding"), position("ended")) << "VAPI forwards, then ends the call";
}

TEST_F(CliMonitorTest, TheSimulatedSayAndTransferScenarioPasses) {
  SimulateRun run(server_.endpoint(), {"--hold", "--call-length", "4s", "--call-prefix", "rp"});
  const auto scenario =
      std::string(VAPIDASH_SOURCE_DIR) + "/scenarios/simulate/monitor-say-and-transfer.json";
  const auto result = vapidash({"replay", scenario, "--var", "call=rp-1"});
  EXPECT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(run.process().wait(20s), 0) << run.process().out() << run.process().err();
}

TEST_F(CliMonitorTest, AControlForACallWithoutAControlUrlIs409AndRecordsNothing) {
  live_call("no-url", "");
  const auto result = vapidash({"control", "demo-client", "no-url", "say", "Hello?"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("409"));
  EXPECT_THAT(result.err, HasSubstr("has no controlUrl"));
  EXPECT_EQ(control_entries("no-url"), 0u);
}

// A control URL that accepts the connection and never answers, behind a server that waits 300 ms for it.
TEST(CliMonitorTimeout, VapiNotAnsweringIs504AndRecordsNothingAsDone) {
  server::ServerOptions options;
  options.control_timeout = 300ms;
  TestServer server(options);
  SilentServer vapi;
  const json message{
      {"type", "status-update"},
      {"status", "in-progress"},
      {"call", {{"id", "slow"}, {"monitor", {{"controlUrl", vapi.endpoint().url() + "/control"}}}}}};
  auto http = server.client();
  ASSERT_EQ(http.post("/webhooks/vapi/demo-client", dump_json(json{{"message", message}})).status, 200u);

  const auto result = run_against(server.endpoint(), {"control", "demo-client", "slow", "end"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("504"));
  const auto timeline = http.get("/api/debug/status-events/demo-client/slow").json_body();
  for (const auto& event : timeline)
    EXPECT_EQ(event.at("status").get<std::string>().rfind("control:", 0), std::string::npos) << event;
  EXPECT_EQ(http.get("/api/demo-client/calls/slow").json_body().at("status"), "in-progress");
}

TEST(CliMonitorTimeout, TheSimulatedSlowVapiScenarioPasses) {
  server::ServerOptions options;
  options.control_timeout = 1s;
  TestServer server(options);
  SimulateRun run(server.endpoint(),
                  {"--hold", "--call-length", "4s", "--call-prefix", "slow", "--control-delay", "3s"});
  const auto scenario = std::string(VAPIDASH_SOURCE_DIR) + "/scenarios/simulate/monitor-control-timeout.json";
  const auto result = run_against(server.endpoint(), {"replay", scenario, "--var", "call=slow-1"});
  EXPECT_EQ(result.code, 0) << result.all();
  run.process().signal(SIGTERM);
  EXPECT_EQ(run.process().wait(20s), 0) << run.process().out() << run.process().err();
}

// Tenants with their own dashboard tokens: the listen relay admits a tenant's token for its own calls only.
AccessConfig two_guarded_tenants() {
  AccessConfig access;
  access.tenants["demo-client"].dashboard_token = "demo-token";
  access.tenants["other-client"].dashboard_token = "other-token";
  return access;
}

TEST(CliMonitorListenAccess, AnotherTenantsTokenIsRefusedAndTheStreamEndsCleanlyWithTheCall) {
  TestServer server({}, SyncMode::full, two_guarded_tenants());
  SimulateRun run(server.endpoint(), {"--hold", "--call-length", "4s", "--call-prefix", "own"});
  run.wait_answered();
  TempDir dir;
  const auto refused = run_against(server.endpoint(), {"--token", "other-token", "listen", "demo-client",
                                                       "own-1", "--out", dir.file("refused.wav")});
  EXPECT_EQ(refused.code, 1) << refused.all();
  EXPECT_THAT(refused.err, HasSubstr("401"));

  const auto path = dir.file("own-1.wav");
  CliProcess listen({"--server", server.endpoint().url(), "--token", "demo-token", "--json", "listen",
                     "demo-client", "own-1", "--out", path});
  const auto recorded = [&] {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? std::uintmax_t{0} : size;
  };
  ASSERT_TRUE(eventually([&] { return recorded() > 44 + 16000; }, 10s)) << listen.err();
  EXPECT_EQ(run.control("own-1", R"({"type": "end-call"})").status, 200u);
  ASSERT_EQ(listen.wait(20s), 0) << listen.out() << listen.err();
  const auto summary = json::parse(listen.out());
  EXPECT_EQ(summary.at("closed").at("code"), 1000) << summary;
  const auto wav = read_text(path);
  EXPECT_EQ(le_field(wav, 4, 4), wav.size() - 8);
  EXPECT_EQ(le_field(wav, 40, 4), wav.size() - 44);
  EXPECT_EQ(run.process().wait(20s), 0) << run.process().out() << run.process().err();
}

}  // namespace
}  // namespace vapidash::test::cli
