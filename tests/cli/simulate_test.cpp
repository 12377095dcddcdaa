// `vapidash simulate`, run as the real binary against a real server: the calls it plays end up stored as
// VAPI's would, its listen URLs stream the documented audio, and its control URLs act like VAPI's.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

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

class CliSimulateTest : public CliTest {
 protected:
  json stored_call(const std::string& id) { return get_json("/api/demo-client/calls/" + id); }
  json timeline(const std::string& id) { return get_json("/api/debug/status-events/demo-client/" + id); }
  CliResult simulate(std::vector<std::string> args) {
    args.insert(args.begin(), {"simulate", "--client", "demo-client"});
    return vapidash(std::move(args));
  }
};

TEST_F(CliSimulateTest, AShortCallEndsUpStoredAsVapiWouldLeaveIt) {
  const auto result = simulate({"--call-length", "2s", "--call-prefix", "short", "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto events = events_of(result.out);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front().at("event"), "listening") << "the address comes first";
  const auto address = events.front().at("address").get<std::string>();
  EXPECT_EQ(
      events.back(),
      json({{"event", "done"}, {"calls", 1}, {"webhooks", events.back().at("webhooks")}, {"failed", 0}}));

  std::vector<std::string> webhooks;
  for (const auto& event : events) {
    if (event.at("event") != "webhook") continue;
    EXPECT_EQ(event.at("http_status"), 200) << event;
    webhooks.push_back(event.at("type").get<std::string>() + " " + event.at("detail").get<std::string>());
  }
  ASSERT_GE(webhooks.size(), 4u);
  EXPECT_EQ(webhooks.front(), "status-update ringing");
  EXPECT_EQ(webhooks[1], "status-update in-progress");
  EXPECT_EQ(webhooks[webhooks.size() - 2], "status-update ended");
  EXPECT_EQ(webhooks.back(), "end-of-call-report customer-ended-call");
  for (const auto* expected :
       {"transcript partial user", "transcript final assistant", "speech-update started user",
        "speech-update stopped assistant", "conversation-update "}) {
    EXPECT_NE(std::find(webhooks.begin(), webhooks.end(), expected), webhooks.end()) << expected;
  }

  const auto call = stored_call("short-1");
  EXPECT_EQ(call.at("status"), "ended");
  EXPECT_EQ(call.at("ended_reason"), "customer-ended-call");
  EXPECT_EQ(call.at("listen_url"), "ws://" + address + "/calls/short-1/listen");
  EXPECT_EQ(call.at("control_url"), "http://" + address + "/calls/short-1/control");
  EXPECT_EQ(call.at("phone_number"), "+14155550100");
  EXPECT_GT(call.at("duration_seconds").get<double>(), 1.0);
  EXPECT_TRUE(call.at("summary").is_string());
  EXPECT_TRUE(call.at("recording_url").is_string());
  const auto plan = default_call_plan();
  const auto& transcript = call.at("transcript");
  ASSERT_EQ(transcript.size(), plan.turns.size()) << transcript;
  for (std::size_t i = 0; i < plan.turns.size(); ++i) {
    EXPECT_EQ(transcript[i].at("role"), plan.turns[i].role);
    EXPECT_EQ(transcript[i].at("text"), plan.turns[i].text);
  }
}

TEST_F(CliSimulateTest, TextOutputNamesEachEventAndTheAddressFirst) {
  const auto result = simulate({"--call-length", "1s", "--call-prefix", "text"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto lines = lines_of(plain_text(result.out));
  ASSERT_GE(lines.size(), 4u);
  EXPECT_THAT(
      lines.front(),
      FullyMatches(
          R"(listening on 127\.0\.0\.1:[0-9]+  listen ws://127\.0\.0\.1:[0-9]+/calls/\{callId\}/listen  control POST http://127\.0\.0\.1:[0-9]+/calls/\{callId\}/control)"));
  EXPECT_THAT(
      lines[1],
      FullyMatches(
          R"([0-9:.]{12}  text-1  started  listen ws://.*/calls/text-1/listen  control http://.*/calls/text-1/control)"));
  EXPECT_THAT(result.out, HasSubstr("text-1  webhook status-update ringing → 200"));
  EXPECT_THAT(result.out, HasSubstr("text-1  ended  customer-ended-call"));
}

TEST_F(CliSimulateTest, AListenUrlStreamsTheStartFrameThenTheTwoTonesUntilTheCallEnds) {
  SimulateRun run(server_.endpoint(), {"--hold", "--call-length", "2s", "--call-prefix", "listen"});
  run.wait_answered();
  ListenClient listener(run.port(), "listen-1");
  const auto start = listener.read();
  ASSERT_TRUE(start && start->second) << "a text frame first";
  const auto format = json::parse(start->first);
  EXPECT_EQ(format, json({{"type", "start"},
                          {"callId", "listen-1"},
                          {"encoding", "pcm_s16le"},
                          {"sampleRate", 16000},
                          {"channels", 2},
                          {"channelRoles", {"customer", "assistant"}},
                          {"frameMs", 20},
                          {"frameBytes", 1280}}));

  std::string pcm;
  for (int i = 0; i < 25; ++i) {
    const auto frame = listener.read_binary();
    ASSERT_EQ(frame.size(), audio_frame_bytes);
    pcm += frame;
  }
  EXPECT_NEAR(tone_frequency(channel_of(pcm, customer_channel)), customer_tone_hz, customer_tone_hz * 0.02);
  EXPECT_NEAR(tone_frequency(channel_of(pcm, assistant_channel)), assistant_tone_hz,
              assistant_tone_hz * 0.02);

  const auto mute = run.control("listen-1", R"({"type": "control", "control": "mute-assistant"})");
  EXPECT_EQ(mute.status, 200u) << mute.body;
  bool muted = false;
  for (int i = 0; i < 100 && !muted; ++i)
    muted = silent(channel_of(listener.read_binary(), assistant_channel));
  ASSERT_TRUE(muted) << "the assistant's channel goes silent";
  const auto after_mute = listener.read_binary();
  EXPECT_TRUE(silent(channel_of(after_mute, assistant_channel)));
  EXPECT_FALSE(silent(channel_of(after_mute, customer_channel)));

  EXPECT_EQ(run.control("listen-1", R"({"type": "end-call"})").status, 200u);
  while (listener.read()) {
  }
  EXPECT_EQ(listener.close_reason().code, websocket::close_code::normal);
  EXPECT_EQ(run.process().wait(20s), 0) << run.process().out() << run.process().err();
  EXPECT_EQ(stored_call("listen-1").at("ended_reason"), "assistant-ended-call");
}

TEST_F(CliSimulateTest, TransferSendsForwardingThenEndsTheCallAsForwarded) {
  SimulateRun run(server_.endpoint(), {"--hold", "--call-length", "2s", "--call-prefix", "xfer"});
  run.wait_answered();
  const auto answer = run.control(
      "xfer-1",
      R"({"type": "transfer", "destination": {"type": "number", "number": "+16505550178"}, "content": "Transferring you now."})");
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.content_type, "application/json");
  EXPECT_EQ(answer.json_body(), json({{"ok", true}}));
  ASSERT_EQ(run.process().wait(20s), 0) << run.process().out() << run.process().err();

  const auto call = stored_call("xfer-1");
  EXPECT_EQ(call.at("status"), "ended");
  EXPECT_EQ(call.at("ended_reason"), "assistant-forwarded-call");
  EXPECT_EQ(call.at("transcript").back().at("text"), "Transferring you now.");
  std::vector<std::string> statuses;
  json forwarding;
  for (const auto& event : timeline("xfer-1")) {
    statuses.push_back(event.at("status").get<std::string>());
    if (event.at("status") == "forwarding") forwarding = event.at("payload");
  }
  ASSERT_TRUE(forwarding.is_object()) << json(statuses);
  EXPECT_EQ(forwarding.at("destination").at("number"), "+16505550178");
  const auto at = [&](const std::string& status) {
    return std::find(statuses.begin(), statuses.end(), status) - statuses.begin();
  };
  EXPECT_LT(at("in-progress"), at("forwarding"));
  EXPECT_LT(at("forwarding"), at("ended"));
  EXPECT_LT(at("ended"), at("end-of-call-report"));
  EXPECT_THAT(run.process().out(),
              HasSubstr(R"("event":"control","call_id":"xfer-1","body":{"type":"transfer")"))
      << "its own log says what it received";
}

TEST_F(CliSimulateTest, ControlAnswersLikeVapi) {
  SimulateRun run(server_.endpoint(),
                  {"--hold", "--call-length", "2s", "--calls", "2", "--rate", "100", "--call-prefix", "ctl"});
  run.next_event("\"call_id\":\"ctl-2\"");

  const auto malformed = run.control("ctl-1", "{\"type\": ");
  EXPECT_EQ(malformed.status, 400u);
  EXPECT_EQ(malformed.json_body().at("error").at("code"), "invalid_json");
  const auto unknown_type = run.control("ctl-1", R"({"type": "dance"})");
  EXPECT_EQ(unknown_type.status, 400u);
  EXPECT_EQ(unknown_type.json_body().at("error").at("code"), "invalid_field");
  EXPECT_THAT(unknown_type.body, HasSubstr("say, end-call, transfer, add-message, control"));
  EXPECT_EQ(run.control("ctl-9", R"({"type": "end-call"})").status, 404u);
  EXPECT_EQ(HttpClient(Endpoint{"127.0.0.1", run.port()}).get("/calls/ctl-1/control").status, 405u);
  EXPECT_EQ(HttpClient(Endpoint{"127.0.0.1", run.port()}).get("/calls/ctl-1/listen").status, 426u);

  EXPECT_EQ(
      run.control("ctl-1",
                  R"({"type": "add-message", "message": {"role": "user", "content": "Can you hear me?"}})")
          .status,
      200u);
  EXPECT_EQ(run.control("ctl-1", R"({"type": "end-call"})").status, 200u);
  const auto again = run.control("ctl-1", R"({"type": "end-call"})");
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.json_body().at("error").at("code"), "call_ended");
  EXPECT_EQ(run.control("ctl-2", R"({"type": "say", "content": "Goodbye now.", "endCallAfterSpoken": true})")
                .status,
            200u);
  ASSERT_EQ(run.process().wait(20s), 0) << run.process().out() << run.process().err();

  const auto first = stored_call("ctl-1");
  EXPECT_EQ(first.at("ended_reason"), "assistant-ended-call");
  ASSERT_FALSE(first.at("transcript").empty());
  EXPECT_EQ(
      first.at("transcript").back(),
      json({{"role", "user"}, {"text", "Can you hear me?"}, {"at", first.at("transcript").back().at("at")}}));
  const auto second = stored_call("ctl-2");
  EXPECT_EQ(second.at("ended_reason"), "assistant-ended-call");
  EXPECT_EQ(second.at("transcript").back().at("text"), "Goodbye now.");
  EXPECT_EQ(second.at("transcript").back().at("role"), "assistant");
  EXPECT_THAT(run.process().out(), HasSubstr(R"("body":"{\"type\": ","http_status":400)"));
}

TEST_F(CliSimulateTest, SigtermEndsEveryLiveCallAsTheCustomerHangingUp) {
  SimulateRun run(server_.endpoint(), {"--hold", "--call-length", "2s", "--call-prefix", "sig"});
  run.wait_answered();
  run.process().signal(SIGTERM);
  ASSERT_EQ(run.process().wait(20s), 0) << run.process().out() << run.process().err();
  EXPECT_EQ(stored_call("sig-1").at("status"), "ended");
  EXPECT_EQ(stored_call("sig-1").at("ended_reason"), "customer-ended-call");
}

TEST_F(CliSimulateTest, ScenarioGivesTheConversationAndTheEnd) {
  const auto file = std::string(VAPIDASH_SOURCE_DIR) + "/scenarios/silence-timeout.json";
  const auto result = simulate({"--call-length", "2s", "--call-prefix", "scn", "--scenario", file});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto call = stored_call("scn-1");
  EXPECT_EQ(call.at("ended_reason"), "silence-timed-out");
  ASSERT_EQ(call.at("transcript").size(), 2u) << call;
  EXPECT_EQ(call.at("transcript")[0].at("role"), "assistant");
}

TEST_F(CliSimulateTest, UsageErrorsExitTwo) {
  EXPECT_EQ(vapidash({"simulate"}).code, 2);
  EXPECT_EQ(simulate({"--calls", "0"}).code, 2);
  const auto short_call = simulate({"--call-length", "300ms"});
  EXPECT_EQ(short_call.code, 2);
  EXPECT_THAT(short_call.err, HasSubstr("--call-length is too short"));
  EXPECT_EQ(simulate({"--call-prefix", "bad prefix"}).code, 2);

  TempDir dir;
  std::ofstream wav(dir.file("mono.wav"), std::ios::binary);
  const char header[] =
      "RIFF\x28\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x80\x3e\0\0\0\x7d\0\0\x02\0\x10\0data\x04\0\0\0\0\0\0\0";
  wav.write(header, sizeof header - 1);
  wav.close();
  const auto mono = simulate({"--audio", dir.file("mono.wav")});
  EXPECT_EQ(mono.code, 2) << mono.all();
  EXPECT_THAT(mono.err, HasSubstr("it has 1 channel(s)"));
}

TEST_F(CliSimulateTest, WebhooksNotAnswered2xxExitOneNamingThem) {
  CannedHttpServer failing(500, "Internal Server Error", "application/json", R"({"ok": false})");
  const auto result = run_against(failing.endpoint(), {"simulate", "--client", "demo-client", "--call-length",
                                                       "1s", "--call-prefix", "f"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("webhooks were not answered 2xx:\n  f-1 status-update ringing → 500"));
}

class CliSimulateSecretTest : public ::testing::Test {
 protected:
  static AccessConfig guarded() {
    AccessConfig access;
    access.global_webhook_secret = "s3cret";
    return access;
  }
  TestServer server_{{}, SyncMode::full, guarded()};
};

TEST_F(CliSimulateSecretTest, TheSecretIsSentLikeOtherClientCommandsSendIt) {
  const std::vector<std::string> args = {"simulate", "--client", "demo-client", "--call-length", "1s"};
  const auto refused = run_against(server_.endpoint(), args);
  EXPECT_EQ(refused.code, 1) << refused.all();
  EXPECT_THAT(refused.err, HasSubstr("→ 401"));
  auto with_secret = args;
  with_secret.insert(with_secret.end(), {"--secret", "s3cret"});
  const auto accepted = run_against(server_.endpoint(), with_secret);
  EXPECT_EQ(accepted.code, 0) << accepted.all();
}

}  // namespace
}  // namespace vapidash::test::cli
