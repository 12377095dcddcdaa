#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vapidash/vapi/listen_audio.hpp"

namespace vapidash {

// What a simulated listen URL streams is VAPI's listen format (vapi/listen_audio.hpp), one binary frame per
// 20 ms.
inline constexpr int audio_frame_ms = 20;
inline constexpr std::size_t audio_samples_per_frame =
    listen_sample_rate * audio_frame_ms / 1000;  // per channel
inline constexpr std::size_t audio_frame_bytes =
    audio_samples_per_frame * listen_channels * listen_bytes_per_sample;  // 1280

// The generated signal: a tone per party, so a listener can tell the channels apart by ear or by analysis.
inline constexpr double customer_tone_hz = 440;
inline constexpr double assistant_tone_hz = 1000;
inline constexpr double tone_amplitude = 8000;  // of 32767: loud enough to hear, far from clipping

// The sample of a tone at `index` samples from the start of the call (continuous across frames).
std::int16_t tone_sample(double hz, std::uint64_t index);

// A call's audio, frame by frame: frame `index` covers samples [index * 320, (index + 1) * 320) of each
// channel. With `assistant_muted` the assistant's channel is silent.
class AudioSource {
 public:
  virtual ~AudioSource() = default;
  virtual std::string frame(std::uint64_t index, bool assistant_muted) const = 0;
};

// The customer's 440 Hz and the assistant's 1000 Hz tones.
class ToneSource final : public AudioSource {
 public:
  std::string frame(std::uint64_t index, bool assistant_muted) const override;
};

// A WAV file's samples, looped for as long as the call lasts.
class WavSource final : public AudioSource {
 public:
  explicit WavSource(std::vector<std::int16_t> interleaved) : samples_(std::move(interleaved)) {}
  std::string frame(std::uint64_t index, bool assistant_muted) const override;
  std::size_t sample_frames() const noexcept { return samples_.size() / listen_channels; }

 private:
  std::vector<std::int16_t> samples_;
};

// Reads a WAV file of 16 kHz, 2-channel, 16-bit PCM. Throws invalid_input("invalid_audio") naming what the
// file is instead (another rate, channel count or sample format, not a WAV file, no samples).
std::shared_ptr<const WavSource> load_wav(const std::string& path);

// Reads the same from bytes; `name` is what messages call it.
std::shared_ptr<const WavSource> parse_wav(const std::string& bytes, const std::string& name);

}  // namespace vapidash
