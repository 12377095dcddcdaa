// `vapidash listen`: the real binary against a real server relaying a fake VAPI listen stream of known
// samples; the WAV it writes is read back sample by sample.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "cli_test_support.hpp"
#include "simulate_support.hpp"
#include "support/fake_listen_upstream.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/client/webhook_builder.hpp"

namespace vapidash::test::cli {
namespace {

using ::testing::HasSubstr;

constexpr int listen_frames_per_message = 320;  // 20 ms at 16 kHz
constexpr int listen_messages = 110;            // 2.2 s: more than --for 2s asks for

std::int16_t listen_customer_sample(int frame) {
  return static_cast<std::int16_t>(frame * 7 % 30000);
}
std::int16_t listen_assistant_sample(int frame) {
  return static_cast<std::int16_t>(-(frame * 3 % 20000));
}

void append_listen_sample(std::string& pcm, std::int16_t sample) {
  const auto bits = static_cast<std::uint16_t>(sample);
  pcm += static_cast<char>(bits & 0xFF);
  pcm += static_cast<char>(bits >> 8);
}

// 2.2 s of stereo in 20 ms messages, with a text message among them as VAPI sends.
std::vector<FeedMessage> listen_call_audio() {
  std::vector<FeedMessage> audio;
  for (int message = 0; message < listen_messages; ++message) {
    std::string pcm;
    for (int i = 0; i < listen_frames_per_message; ++i) {
      const int frame = message * listen_frames_per_message + i;
      append_listen_sample(pcm, listen_customer_sample(frame));
      append_listen_sample(pcm, listen_assistant_sample(frame));
    }
    audio.push_back({std::move(pcm), true});
    if (message == 3) audio.push_back({R"({"type":"speech-update"})", false});
  }
  return audio;
}

std::int16_t wav_sample_at(const std::string& bytes, std::size_t at) {
  return static_cast<std::int16_t>(le_field(bytes, at, 2));
}

class CliListenTest : public CliTest {
 protected:
  CliListenTest() {
    WebhookSpec spec;
    spec.type = "status-update";
    spec.call_id = "c1";
    spec.status = "in-progress";
    spec.sets.push_back("call.monitor.listenUrl=" + upstream_.url());
    post_json("/webhooks/vapi/demo", dump_json(build_webhook(spec, now_utc())));
  }

  FakeListenUpstream upstream_{{listen_call_audio()}};
  TempDir dir_;
};

TEST_F(CliListenTest, WritesTwoSecondsOfTheCustomerChannelAsAValidWav) {
  const auto path = dir_.file("customer.wav");
  const auto result =
      vapidash({"listen", "demo", "c1", "--for", "2s", "--channels", "customer", "--out", path, "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto wav = read_text(path);
  constexpr std::uint32_t data_bytes = 2 * 16000 * 2;  // 2 s of one 16-bit channel
  ASSERT_NO_FATAL_FAILURE(expect_pcm_wav(wav, 1, data_bytes));
  for (int frame = 0; frame < 32000; ++frame) {
    ASSERT_EQ(wav_sample_at(wav, 44 + 2 * static_cast<std::size_t>(frame)), listen_customer_sample(frame))
        << "frame " << frame;
  }
  const auto summary = stdout_json(result);
  EXPECT_EQ(summary.at("seconds"), 2.0);
  EXPECT_EQ(summary.at("bytes"), data_bytes);
  EXPECT_EQ(summary.at("channels"), 1);
  EXPECT_EQ(summary.at("file"), path);
}

TEST_F(CliListenTest, WritesBothChannelsInterleavedAsTheCallSentThem) {
  const auto path = dir_.file("both.wav");
  const auto result = vapidash({"listen", "demo", "c1", "--for", "500ms", "--out", path});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto wav = read_text(path);
  ASSERT_EQ(wav.size(), 44u + 8000u * 4u);
  EXPECT_EQ(le_field(wav, 22, 2), 2u);
  for (int frame = 0; frame < 8000; ++frame) {
    const auto at = 44 + 4 * static_cast<std::size_t>(frame);
    ASSERT_EQ(wav_sample_at(wav, at), listen_customer_sample(frame)) << "frame " << frame;
    ASSERT_EQ(wav_sample_at(wav, at + 2), listen_assistant_sample(frame)) << "frame " << frame;
  }
  EXPECT_THAT(result.err, HasSubstr("0.5 s of audio"));
}

TEST_F(CliListenTest, RawWritesTheAssistantSamplesToStdout) {
  const auto result =
      vapidash({"listen", "demo", "c1", "--for", "100ms", "--raw", "--channels", "assistant"});
  ASSERT_EQ(result.code, 0) << result.all();
  ASSERT_EQ(result.out.size(), 1600u * 2u);
  for (int frame = 0; frame < 1600; ++frame) {
    ASSERT_EQ(wav_sample_at(result.out, 2 * static_cast<std::size_t>(frame)), listen_assistant_sample(frame))
        << frame;
  }
}

TEST_F(CliListenTest, CtrlCLeavesAWavWhoseHeaderCountsEverySampleWritten) {
  const auto path = dir_.file("interrupted.wav");
  CliProcess listen({"--server", server_.endpoint().url(), "listen", "demo", "c1", "--out", path});
  const auto file_size = [&] {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? std::uintmax_t{0} : size;
  };
  ASSERT_TRUE(eventually([&] { return file_size() > 100000; }, std::chrono::seconds(10))) << listen.err();
  listen.signal(SIGINT);
  ASSERT_EQ(listen.wait(std::chrono::seconds(10)), 0) << listen.err();
  const auto wav = read_text(path);
  ASSERT_GT(wav.size(), 100000u);
  EXPECT_EQ(le_field(wav, 4, 4), wav.size() - 8);
  EXPECT_EQ(le_field(wav, 40, 4), wav.size() - 44);
  EXPECT_EQ((wav.size() - 44) % 4, 0u) << "whole stereo sample frames";
}

TEST_F(CliListenTest, AStreamTheServerClosesExitsOneWithItsReason) {
  const auto result = vapidash({"listen", "demo", "no-such-call", "--out", dir_.file("none.wav")});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("the server closed the stream: 4404 the tenant has no such call"));
}

TEST_F(CliListenTest, RawAndOutTogetherAreAUsageError) {
  const auto result = vapidash({"listen", "demo", "c1", "--raw", "--out", dir_.file("x.wav")});
  EXPECT_EQ(result.code, 2) << result.all();
  EXPECT_THAT(result.err, HasSubstr("--raw"));
}

}  // namespace
}  // namespace vapidash::test::cli
