// The pieces of `vapidash simulate` that need no socket: the audio it streams, the script of a call, the
// messages it sends and the control messages it takes.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>

#include "support/temp_dir.hpp"
#include "vapidash/error.hpp"
#include "vapidash/scenario/scenario.hpp"
#include "vapidash/simulate/audio.hpp"
#include "vapidash/simulate/call_messages.hpp"
#include "vapidash/simulate/call_script.hpp"
#include "vapidash/simulate/control.hpp"

namespace vapidash::test {
namespace {

using std::chrono::milliseconds;

std::int16_t sample_in(const std::string& frame, std::size_t index, int channel) {
  const auto at = (index * listen_channels + static_cast<std::size_t>(channel)) * 2;
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(
      static_cast<unsigned char>(frame[at]) | (static_cast<unsigned char>(frame[at + 1]) << 8)));
}

// ---- audio

TEST(SimulateAudioTest, FramesAreTwentyMillisecondsOfStereoSixteenBitAtSixteenKilohertz) {
  EXPECT_EQ(audio_samples_per_frame, 320u);
  EXPECT_EQ(audio_frame_bytes, 1280u);
  EXPECT_EQ(ToneSource().frame(0, false).size(), 1280u);
}

TEST(SimulateAudioTest, TheCustomerIsA440HzToneAndTheAssistantA1000HzTone) {
  const ToneSource tones;
  const auto frame = tones.frame(7, false);
  for (std::size_t i = 0; i < audio_samples_per_frame; ++i) {
    const auto n = 7 * audio_samples_per_frame + i;
    const double t = static_cast<double>(n) / listen_sample_rate;
    EXPECT_NEAR(sample_in(frame, i, customer_channel),
                tone_amplitude * std::sin(2 * std::numbers::pi * 440 * t), 1.5);
    EXPECT_NEAR(sample_in(frame, i, assistant_channel),
                tone_amplitude * std::sin(2 * std::numbers::pi * 1000 * t), 1.5);
  }
}

TEST(SimulateAudioTest, MutingSilencesOnlyTheAssistant) {
  const auto frame = ToneSource().frame(3, true);
  bool customer_sounds = false;
  for (std::size_t i = 0; i < audio_samples_per_frame; ++i) {
    EXPECT_EQ(sample_in(frame, i, assistant_channel), 0);
    customer_sounds = customer_sounds || sample_in(frame, i, customer_channel) != 0;
  }
  EXPECT_TRUE(customer_sounds);
}

TEST(SimulateAudioTest, ToneSamplesStayPreciseHoursIntoACall) {
  const std::uint64_t hours = 16000ull * 3600 * 5;  // a whole number of 440 Hz and 1000 Hz periods
  EXPECT_EQ(tone_sample(440, hours + 9), tone_sample(440, 9));
  EXPECT_EQ(tone_sample(1000, hours + 3), tone_sample(1000, 3));
}

std::string wav_bytes(std::uint16_t format, std::uint16_t channels, std::uint32_t rate, std::uint16_t bits,
                      const std::vector<std::int16_t>& samples) {
  std::string out;
  const auto put = [&](std::uint32_t value, int size) {
    for (int i = 0; i < size; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
  };
  const auto data_size = static_cast<std::uint32_t>(samples.size() * 2);
  out += "RIFF";
  put(36 + data_size, 4);
  out += "WAVEfmt ";
  put(16, 4);
  put(format, 2);
  put(channels, 2);
  put(rate, 4);
  put(rate * channels * bits / 8, 4);
  put(static_cast<std::uint32_t>(channels * bits / 8), 2);
  put(bits, 2);
  out += "data";
  put(data_size, 4);
  for (const auto sample : samples) put(static_cast<std::uint16_t>(sample), 2);
  return out;
}

TEST(SimulateAudioTest, AWavIsStreamedAsItIsAndLooped) {
  const auto wav = parse_wav(wav_bytes(1, 2, 16000, 16, {100, -100, 200, -200, 300, -300}), "three.wav");
  ASSERT_EQ(wav->sample_frames(), 3u);
  const auto frame = wav->frame(0, false);
  EXPECT_EQ(sample_in(frame, 0, customer_channel), 100);
  EXPECT_EQ(sample_in(frame, 0, assistant_channel), -100);
  EXPECT_EQ(sample_in(frame, 2, assistant_channel), -300);
  EXPECT_EQ(sample_in(frame, 3, customer_channel), 100) << "looped";
  EXPECT_EQ(sample_in(wav->frame(0, true), 1, assistant_channel), 0);
}

TEST(SimulateAudioTest, AnotherWavFormatIsRefusedSayingWhatItIs) {
  const std::vector<std::int16_t> samples(64, 1);
  const auto refusal = [&](const std::string& bytes) {
    try {
      parse_wav(bytes, "in.wav");
    } catch (const invalid_input& e) {
      EXPECT_EQ(e.code(), "invalid_audio");
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refusal(wav_bytes(1, 2, 44100, 16, samples)).find("in.wav: it is sampled at 44100 Hz"),
            std::string::npos);
  EXPECT_NE(refusal(wav_bytes(1, 1, 16000, 16, samples)).find("it has 1 channel(s)"), std::string::npos);
  EXPECT_NE(refusal(wav_bytes(1, 2, 16000, 8, samples)).find("8-bit"), std::string::npos);
  EXPECT_NE(refusal(wav_bytes(3, 2, 16000, 16, samples)).find("not PCM"), std::string::npos);
  EXPECT_NE(refusal("not a wav at all").find("not a WAV file"), std::string::npos);
  EXPECT_NE(refusal(wav_bytes(1, 2, 16000, 16, {})).find("no samples"), std::string::npos);
  EXPECT_NE(refusal(wav_bytes(1, 2, 16000, 16, {})).find("16 kHz, 2-channel, 16-bit PCM"), std::string::npos);
}

// ---- the script of a call

TEST(SimulateScriptTest, RingsAnswersSpeaksEachTurnThenHangsUpAtTheCallLength) {
  const auto plan = default_call_plan();
  const auto script = build_call_script(plan, milliseconds(60'000));
  ASSERT_GE(script.steps.size(), 3u);
  EXPECT_EQ(script.steps.front().action, ScriptAction::ring);
  EXPECT_EQ(script.steps.front().at, milliseconds(0));
  EXPECT_EQ(script.steps[1].action, ScriptAction::answer);
  EXPECT_EQ(script.answer_at, milliseconds(3000)) << "a tenth of the length, at most 3 s";
  EXPECT_EQ(script.steps.back().action, ScriptAction::hang_up);
  EXPECT_EQ(script.steps.back().at, milliseconds(60'000));
  for (std::size_t i = 1; i < script.steps.size(); ++i)
    EXPECT_LE(script.steps[i - 1].at, script.steps[i].at) << i;

  std::vector<std::size_t> finals;
  for (const auto& step : script.steps) {
    if (step.action == ScriptAction::final_line) finals.push_back(step.turn);
  }
  EXPECT_EQ(finals, (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(SimulateScriptTest, EachTurnStartsSpeakingGrowsPartialLinesThenTheFinalLine) {
  CallPlan plan;
  plan.turns = {{"user", "one two three four five six"}};
  const auto script = build_call_script(plan, milliseconds(2000));
  std::vector<ScriptAction> actions;
  std::vector<std::size_t> partial_words;
  for (const auto& step : conversation_steps(script)) {
    actions.push_back(step.action);
    if (step.action == ScriptAction::partial_line) partial_words.push_back(step.words);
  }
  EXPECT_EQ(actions,
            (std::vector<ScriptAction>{ScriptAction::speech_started, ScriptAction::partial_line,
                                       ScriptAction::partial_line, ScriptAction::final_line,
                                       ScriptAction::speech_stopped, ScriptAction::conversation_update}));
  EXPECT_EQ(partial_words, (std::vector<std::size_t>{2, 4}));
  EXPECT_EQ(script.answer_at, milliseconds(200));
  EXPECT_EQ(script.conversation_period, milliseconds(1800));
}

TEST(SimulateScriptTest, ALengthTooShortForTheTurnsIsRefused) {
  EXPECT_THROW(build_call_script(default_call_plan(), milliseconds(500)), invalid_input);
  EXPECT_THROW(build_call_script(CallPlan{}, milliseconds(60'000)), invalid_input);
}

TEST(SimulateScriptTest, AScenarioGivesTheTurnsTheEndedReasonTheSummaryAndTheCaller) {
  TempDir dir;
  std::ofstream(dir.file("s.json")) << R"({
    "vapidash_scenario": 1, "name": "s", "client": "demo",
    "vars": {"line": "Is anyone there?"},
    "steps": [
      {"webhook": {"type": "status-update", "status": "ringing", "set": {"customer.number": "+14155550177"}}},
      {"webhook": {"type": "transcript", "set": {"role": "bot", "transcript": "Hello, how can I help?"}}},
      {"webhook": {"type": "transcript", "set": {"transcriptType": "partial", "transcript": "Is any"}}},
      {"group": {"steps": [{"webhook": {"type": "transcript", "set": {"transcript": "${vars.line}"}}}]}},
      {"expect_call": {"match": {"status": "ringing"}}},
      {"webhook": {"type": "status-update", "status": "ended", "set": {"endedReason": "silence-timed-out"}}},
      {"webhook": {"type": "end-of-call-report", "set": {"endedReason": "silence-timed-out",
                                                         "analysis": {"summary": "Nobody answered."}}}}
    ]})";
  const auto plan = call_plan_from_scenario(load_scenario(dir.file("s.json"), {}));
  ASSERT_EQ(plan.turns.size(), 2u);
  EXPECT_EQ(plan.turns[0].role, "assistant");
  EXPECT_EQ(plan.turns[0].text, "Hello, how can I help?");
  EXPECT_EQ(plan.turns[1].role, "user");
  EXPECT_EQ(plan.turns[1].text, "Is anyone there?");
  EXPECT_EQ(plan.ended_reason, "silence-timed-out");
  EXPECT_EQ(plan.summary, "Nobody answered.");
  EXPECT_EQ(plan.customer_number, "+14155550177");
}

TEST(SimulateScriptTest, AScenarioWithoutAFinalLineIsRefused) {
  TempDir dir;
  std::ofstream(dir.file("s.json"))
      << R"({"vapidash_scenario": 1, "name": "s", "client": "demo", "steps": [{"webhook": {"type": "hang"}}]})";
  EXPECT_THROW(call_plan_from_scenario(load_scenario(dir.file("s.json"), {})), invalid_input);
}

// ---- the messages

SimulatedCall a_call() {
  SimulatedCall call;
  call.id = "sim-1";
  call.customer_number = "+14155550100";
  call.listen_url = "ws://127.0.0.1:9/calls/sim-1/listen";
  call.control_url = "http://127.0.0.1:9/calls/sim-1/control";
  call.status = "in-progress";
  call.created_at = *parse_timestamp("2026-11-27T10:00:00");
  call.started_at = *parse_timestamp("2026-11-27T10:00:02");
  call.lines = {{"assistant", "Hello?", *parse_timestamp("2026-11-27T10:00:03")},
                {"user", "Hi.", *parse_timestamp("2026-11-27T10:00:05.5")}};
  return call;
}

TEST(SimulateMessagesTest, EveryMessageCarriesTheCallWithItsMonitorUrls) {
  const auto now = *parse_timestamp("2026-11-27T10:00:06");
  for (const auto& envelope :
       {status_update_message(a_call(), now), transcript_message(a_call(), "user", "Hi", false, now),
        speech_update_message(a_call(), "assistant", true, now), conversation_update_message(a_call(), now),
        forwarding_message(a_call(), "+16505550178", "One moment", now)}) {
    const auto& message = envelope.at("message");
    EXPECT_EQ(message.at("timestamp"), 1795773606000) << message;
    EXPECT_EQ(message.at("call").at("id"), "sim-1");
    EXPECT_EQ(message.at("call").at("monitor").at("listenUrl"), "ws://127.0.0.1:9/calls/sim-1/listen");
    EXPECT_EQ(message.at("call").at("monitor").at("controlUrl"), "http://127.0.0.1:9/calls/sim-1/control");
    EXPECT_EQ(message.at("call").at("startedAt"), "2026-11-27T10:00:02.000000Z");
    EXPECT_EQ(message.at("customer").at("number"), "+14155550100");
  }
  const auto partial = transcript_message(a_call(), "user", "Hi", false, now).at("message");
  EXPECT_EQ(partial.at("transcriptType"), "partial");
  const auto forwarding = forwarding_message(a_call(), "+16505550178", "One moment", now).at("message");
  EXPECT_EQ(forwarding.at("status"), "forwarding");
  EXPECT_EQ(forwarding.at("destination"),
            json({{"type", "number"}, {"number", "+16505550178"}, {"message", "One moment"}}));
}

TEST(SimulateMessagesTest, TheReportSumsUpTheCall) {
  auto call = a_call();
  call.status = "ended";
  call.ended_at = *parse_timestamp("2026-11-27T10:01:02.250");
  const auto report =
      end_of_call_report_message(call, "customer-ended-call", std::nullopt, *call.ended_at).at("message");
  EXPECT_EQ(report.at("type"), "end-of-call-report");
  EXPECT_EQ(report.at("endedReason"), "customer-ended-call");
  EXPECT_EQ(report.at("durationSeconds"), 60.25);
  EXPECT_EQ(report.at("durationMs"), 60250);
  EXPECT_EQ(report.at("cost"), 0.0502);
  EXPECT_EQ(report.at("endedAt"), "2026-11-27T10:01:02.250000Z");
  EXPECT_EQ(report.at("artifact").at("transcript"), "AI: Hello?\nUser: Hi.");
  EXPECT_EQ(
      report.at("artifact").at("messages").at(0),
      json({{"role", "bot"}, {"message", "Hello?"}, {"time", 1795773603000}, {"secondsFromStart", 1.0}}));
  EXPECT_EQ(report.at("analysis").at("summary"),
            "A simulated call of 2 lines from +14155550100, ended: customer-ended-call.");
  EXPECT_TRUE(report.at("artifact").at("recordingUrl").is_string());
  EXPECT_EQ(report.at("call").at("status"), "ended");
}

TEST(SimulateMessagesTest, FirstWords) {
  EXPECT_EQ(first_words("one two  three", 2), "one two");
  EXPECT_EQ(first_words("one", 5), "one");
}

// ---- control messages

TEST(SimulateControlTest, VapisControlMessagesAreRead) {
  const auto say = parse_control(R"({"type": "say", "content": "Hold on", "endCallAfterSpoken": true})");
  EXPECT_EQ(say.type, "say");
  EXPECT_EQ(say.content, "Hold on");
  EXPECT_TRUE(say.end_call_after_spoken);
  const auto transfer =
      parse_control(R"({"type": "transfer", "destination": {"type": "number", "number": "+16505550178"}})");
  EXPECT_EQ(transfer.number, "+16505550178");
  EXPECT_EQ(transfer.content, "");
  const auto add = parse_control(
      R"({"type": "add-message", "message": {"role": "system", "content": "Be brief"}, "triggerResponseEnabled": false})");
  EXPECT_EQ(add.role, "system");
  EXPECT_EQ(parse_control(R"({"type": "control", "control": "mute-assistant"})").control, "mute-assistant");
  EXPECT_EQ(parse_control(R"({"type": "end-call"})").type, "end-call");
}

TEST(SimulateControlTest, MalformedOrUnknownBodiesAreRefusedNamingTheField) {
  const auto code_of = [](const std::string& body) {
    try {
      parse_control(body);
    } catch (const invalid_input& e) {
      return e.code() + ": " + e.what();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(code_of("{").rfind("invalid_json", 0), 0u);
  EXPECT_EQ(code_of("[]").rfind("invalid_json", 0), 0u);
  EXPECT_NE(code_of(R"({"type": "dance"})").find("\"type\" must be one of say, end-call"), std::string::npos);
  EXPECT_NE(code_of(R"({"type": "say"})").find("\"content\" must be a non-empty string"), std::string::npos);
  EXPECT_NE(code_of(R"({"type": "say", "content": "x", "endCallAfterSpoken": "yes"})").find("true or false"),
            std::string::npos);
  EXPECT_NE(code_of(R"({"type": "transfer", "destination": {"type": "sip"}})").find("\"destination.type\""),
            std::string::npos);
  EXPECT_NE(code_of(R"({"type": "transfer"})").find("\"destination\" must be an object"), std::string::npos);
  EXPECT_NE(code_of(R"({"type": "add-message", "message": {"role": "robot", "content": "x"}})")
                .find("message.role"),
            std::string::npos);
  EXPECT_NE(code_of(R"({"type": "control", "control": "louder"})").find("mute-assistant"), std::string::npos);
}

}  // namespace
}  // namespace vapidash::test
