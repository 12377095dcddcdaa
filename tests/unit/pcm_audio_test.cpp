#include <gtest/gtest.h>

#include "cli/pcm_audio.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace vapidash::cli {
namespace {

// Interleaved stereo: customer samples c0, c1, ... and assistant samples a0, a1, ... as bytes.
std::string stereo_of(const std::vector<std::pair<char, char>>& frames) {
  std::string pcm;
  for (const auto& [customer, assistant] : frames) pcm += std::string{customer, 0, assistant, 0};
  return pcm;
}

std::uint32_t le32(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}

TEST(ChannelPicker, KeepsOneChannelOrBoth) {
  const auto pcm = stereo_of({{1, 2}, {3, 4}});
  EXPECT_EQ(ChannelPicker(ChannelChoice::both).pick(pcm, 100), pcm);
  EXPECT_EQ(ChannelPicker(ChannelChoice::customer).pick(pcm, 100), std::string({1, 0, 3, 0}));
  EXPECT_EQ(ChannelPicker(ChannelChoice::assistant).pick(pcm, 100), std::string({2, 0, 4, 0}));
}

TEST(ChannelPicker, CompletesAFrameCutAcrossMessages) {
  const auto pcm = stereo_of({{1, 2}, {3, 4}, {5, 6}});
  ChannelPicker picker(ChannelChoice::assistant);
  EXPECT_EQ(picker.pick(pcm.substr(0, 5), 100), std::string({2, 0}));
  EXPECT_EQ(picker.pick(pcm.substr(5), 100), std::string({4, 0, 6, 0}));
}

TEST(ChannelPicker, StopsAtTheFrameLimit) {
  const auto pcm = stereo_of({{1, 2}, {3, 4}, {5, 6}});
  EXPECT_EQ(ChannelPicker(ChannelChoice::customer).pick(pcm, 2), std::string({1, 0, 3, 0}));
}

TEST(WavHeader, DescribesSixteenBitPcm) {
  const auto header = wav_header(2, 16000, 6400);
  ASSERT_EQ(header.size(), 44u);
  EXPECT_EQ(header.substr(0, 4), "RIFF");
  EXPECT_EQ(le32(header, 4), 36u + 6400u);
  EXPECT_EQ(header.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(le32(header, 24), 16000u);
  EXPECT_EQ(le32(header, 28), 64000u) << "bytes per second";
  EXPECT_EQ(header.substr(36, 4), "data");
  EXPECT_EQ(le32(header, 40), 6400u);
}

TEST(WavFile, PatchesTheSizesWhenFinished) {
  test::TempDir dir;
  const auto path = dir.file("out.wav");
  WavFile wav(path, 1);
  wav.write(std::string(10, 'x'));
  wav.write(std::string(6, 'y'));
  wav.finish();
  const auto bytes = test::read_text(path);
  ASSERT_EQ(bytes.size(), 44u + 16u);
  EXPECT_EQ(bytes.substr(0, 44), wav_header(1, 16000, 16));
}

}  // namespace
}  // namespace vapidash::cli
