#include "vapidash/simulate/audio.hpp"

#include <cmath>
#include <fstream>
#include <numbers>
#include <optional>
#include <sstream>

#include "vapidash/error.hpp"

namespace vapidash {

namespace {

void put_sample(std::string& frame, std::size_t sample_frame, int channel, std::int16_t value) {
  const auto offset = (sample_frame * listen_channels + static_cast<std::size_t>(channel)) * 2;
  const auto bits = static_cast<std::uint16_t>(value);
  frame[offset] = static_cast<char>(bits & 0xff);
  frame[offset + 1] = static_cast<char>(bits >> 8);
}

std::uint32_t little_endian(const std::string& bytes, std::size_t offset, std::size_t size) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < size; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return value;
}

[[noreturn]] void refuse(const std::string& name, const std::string& why) {
  throw invalid_input("invalid_audio", name + ": " + why +
                                           "; --audio takes a WAV file of 16 kHz, 2-channel, 16-bit PCM "
                                           "(channel 0 the customer, 1 the assistant), e.g. made with "
                                           "`sox in.wav -r 16000 -c 2 -b 16 out.wav`");
}

struct WavFormat {
  std::uint32_t tag = 0;
  std::uint32_t channels = 0;
  std::uint32_t rate = 0;
  std::uint32_t bits = 0;
};

// WAVE_FORMAT_EXTENSIBLE carries the real format tag in its sub-format GUID's first two bytes.
WavFormat read_format(const std::string& bytes, std::size_t offset, std::size_t size,
                      const std::string& name) {
  if (size < 16) refuse(name, "its fmt chunk is too short");
  WavFormat format{little_endian(bytes, offset, 2), little_endian(bytes, offset + 2, 2),
                   little_endian(bytes, offset + 4, 4), little_endian(bytes, offset + 14, 2)};
  if (format.tag == 0xfffe && size >= 26) format.tag = little_endian(bytes, offset + 24, 2);
  return format;
}

void check_format(const WavFormat& format, const std::string& name) {
  if (format.tag != 1) refuse(name, "it is not PCM (format tag " + std::to_string(format.tag) + ")");
  if (format.bits != 16) refuse(name, "it has " + std::to_string(format.bits) + "-bit samples");
  if (format.rate != listen_sample_rate)
    refuse(name, "it is sampled at " + std::to_string(format.rate) + " Hz");
  if (format.channels != listen_channels)
    refuse(name, "it has " + std::to_string(format.channels) + " channel(s)");
}

}  // namespace

std::int16_t tone_sample(double hz, std::uint64_t index) {
  // The phase is taken modulo one period of the tone before scaling, so a long call keeps its precision.
  const auto period = static_cast<double>(listen_sample_rate) / hz;
  const double position = std::fmod(static_cast<double>(index), period);
  return static_cast<std::int16_t>(
      std::lround(tone_amplitude * std::sin(2 * std::numbers::pi * position / period)));
}

std::string ToneSource::frame(std::uint64_t index, bool assistant_muted) const {
  std::string frame(audio_frame_bytes, '\0');
  const auto first = index * audio_samples_per_frame;
  for (std::size_t i = 0; i < audio_samples_per_frame; ++i) {
    put_sample(frame, i, customer_channel, tone_sample(customer_tone_hz, first + i));
    if (!assistant_muted) put_sample(frame, i, assistant_channel, tone_sample(assistant_tone_hz, first + i));
  }
  return frame;
}

std::string WavSource::frame(std::uint64_t index, bool assistant_muted) const {
  std::string frame(audio_frame_bytes, '\0');
  const auto length = sample_frames();
  for (std::size_t i = 0; i < audio_samples_per_frame; ++i) {
    const auto at = (index * audio_samples_per_frame + i) % length;
    put_sample(frame, i, customer_channel, samples_[at * listen_channels + customer_channel]);
    if (!assistant_muted)
      put_sample(frame, i, assistant_channel, samples_[at * listen_channels + assistant_channel]);
  }
  return frame;
}

std::shared_ptr<const WavSource> parse_wav(const std::string& bytes, const std::string& name) {
  if (bytes.size() < 12 || bytes.compare(0, 4, "RIFF") != 0 || bytes.compare(8, 4, "WAVE") != 0) {
    refuse(name, "it is not a WAV file (no RIFF/WAVE header)");
  }
  std::optional<WavFormat> format;
  for (std::size_t at = 12; at + 8 <= bytes.size();) {
    const auto id = bytes.substr(at, 4);
    const std::size_t size = little_endian(bytes, at + 4, 4);
    const auto body = at + 8;
    if (size > bytes.size() - body) refuse(name, "its " + id + " chunk runs past the end of the file");
    if (id == "fmt ") format = read_format(bytes, body, size, name);
    if (id == "data") {
      if (!format) refuse(name, "its data chunk comes before any fmt chunk");
      check_format(*format, name);
      const auto count = size / 2 / listen_channels * listen_channels;
      if (count == 0) refuse(name, "it holds no samples");
      std::vector<std::int16_t> samples(count);
      for (std::size_t i = 0; i < count; ++i) {
        samples[i] = static_cast<std::int16_t>(little_endian(bytes, body + i * 2, 2));
      }
      return std::make_shared<const WavSource>(std::move(samples));
    }
    at = body + size + (size % 2);  // chunks are padded to an even size
  }
  refuse(name, "it has no data chunk");
}

std::shared_ptr<const WavSource> load_wav(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw invalid_input("invalid_audio", "cannot read the audio file " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return parse_wav(bytes.str(), path);
}

}  // namespace vapidash
