#include "cli/pcm_audio.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "vapidash/error.hpp"

namespace vapidash::cli {

namespace {

constexpr std::size_t stereo_frame_bytes = listen_channels * listen_bytes_per_sample;

void append_le(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::int16_t sample_at(std::string_view bytes, std::size_t offset) {
  const auto low = static_cast<unsigned char>(bytes[offset]);
  const auto high = static_cast<unsigned char>(bytes[offset + 1]);
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(low | (high << 8)));
}

// A WAV file's sizes are 32-bit: past 4 GiB (37 hours of stereo) the header says the most it can.
std::uint32_t clamp32(std::uint64_t value) {
  return static_cast<std::uint32_t>(
      std::min<std::uint64_t>(value, std::numeric_limits<std::uint32_t>::max()));
}

}  // namespace

unsigned channel_count(ChannelChoice choice) noexcept {
  return choice == ChannelChoice::both ? 2 : 1;
}

std::string ChannelPicker::pick(std::string_view stereo, std::uint64_t max_frames) {
  std::string joined;
  if (!partial_.empty()) {
    joined = std::exchange(partial_, {});
    joined.append(stereo);
    stereo = joined;
  }
  const auto whole = std::min<std::uint64_t>(stereo.size() / stereo_frame_bytes, max_frames);
  if (whole == stereo.size() / stereo_frame_bytes) partial_.assign(stereo.substr(whole * stereo_frame_bytes));
  if (choice_ == ChannelChoice::both) return std::string(stereo.substr(0, whole * stereo_frame_bytes));
  const std::size_t offset = choice_ == ChannelChoice::customer ? 0 : listen_bytes_per_sample;
  std::string picked;
  picked.reserve(whole * listen_bytes_per_sample);
  for (std::uint64_t frame = 0; frame < whole; ++frame) {
    picked.append(stereo.substr(frame * stereo_frame_bytes + offset, listen_bytes_per_sample));
  }
  return picked;
}

std::string wav_header(unsigned channels, unsigned sample_rate, std::uint32_t data_bytes) {
  const std::uint32_t block_align = channels * listen_bytes_per_sample;
  std::string header = "RIFF";
  append_le(header, clamp32(std::uint64_t{36} + data_bytes), 4);
  header += "WAVEfmt ";
  append_le(header, 16, 4);  // the fmt chunk's size
  append_le(header, 1, 2);   // PCM
  append_le(header, channels, 2);
  append_le(header, sample_rate, 4);
  append_le(header, sample_rate * block_align, 4);  // bytes per second
  append_le(header, block_align, 2);
  append_le(header, 8 * listen_bytes_per_sample, 2);  // bits per sample
  header += "data";
  append_le(header, data_bytes, 4);
  return header;
}

WavFile::WavFile(const std::string& path, unsigned channels)
    : path_(path), channels_(channels), file_(std::fopen(path.c_str(), "wb")) {
  if (file_ == nullptr) throw error("cannot create " + path + ": " + std::strerror(errno));
  const auto header = wav_header(channels_, listen_sample_rate, 0);
  if (std::fwrite(header.data(), 1, header.size(), file_) != header.size())
    throw error("cannot write " + path + ": " + std::strerror(errno));
}

WavFile::~WavFile() {
  try {
    finish();
  } catch (const error&) {
    // A destructor cannot report it; finish() called by the command already has.
  }
}

void WavFile::write(std::string_view samples) {
  if (std::fwrite(samples.data(), 1, samples.size(), file_) != samples.size())
    throw error("cannot write " + path_ + ": " + std::strerror(errno));
  data_bytes_ += samples.size();
}

void WavFile::finish() {
  if (file_ == nullptr) return;
  auto* file = std::exchange(file_, nullptr);
  const auto header = wav_header(channels_, listen_sample_rate, clamp32(data_bytes_));
  const bool patched = std::fseek(file, 0, SEEK_SET) == 0 &&
                       std::fwrite(header.data(), 1, header.size(), file) == header.size();
  const bool closed = std::fclose(file) == 0;
  if (!patched || !closed) throw error("cannot finish " + path_ + ": " + std::strerror(errno));
}

double channel_peak(std::string_view stereo, unsigned channel) {
  int peak = 0;
  for (std::size_t offset = channel * listen_bytes_per_sample;
       offset + listen_bytes_per_sample <= stereo.size(); offset += stereo_frame_bytes) {
    peak = std::max(peak, std::abs(static_cast<int>(sample_at(stereo, offset))));
  }
  return static_cast<double>(peak) / 32768.0;
}

}  // namespace vapidash::cli
