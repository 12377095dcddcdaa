#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "vapidash/vapi/listen_audio.hpp"

namespace vapidash::cli {

// Which of the stream's channels to keep.
enum class ChannelChoice { both, customer, assistant };  // channel 0 is the customer, 1 the assistant

unsigned channel_count(ChannelChoice choice) noexcept;

// Splits the stereo stream into the chosen channels, whatever the message boundaries: a sample frame cut
// across two messages is completed from the next one.
class ChannelPicker {
 public:
  explicit ChannelPicker(ChannelChoice choice) : choice_(choice) {}

  // The chosen channels' samples in `stereo`, at most `max_frames` sample frames of them (one sample per
  // channel each); what is left of a frame cut short waits for the next call.
  std::string pick(std::string_view stereo, std::uint64_t max_frames);

 private:
  ChannelChoice choice_;
  std::string partial_;  // the first bytes of a sample frame the last message cut short
};

// The 44-byte header of a PCM WAV file holding `data_bytes` of s16le samples.
std::string wav_header(unsigned channels, unsigned sample_rate, std::uint32_t data_bytes);

// A WAV file written as samples arrive; the header's sizes are patched by finish(), so a file ended by
// Ctrl-C is as valid as one that ran to the end.
class WavFile {
 public:
  // Throws vapidash::error when the file cannot be created.
  WavFile(const std::string& path, unsigned channels);
  ~WavFile();
  WavFile(const WavFile&) = delete;
  WavFile& operator=(const WavFile&) = delete;

  void write(std::string_view samples);  // throws vapidash::error when the disk refuses
  void finish();                         // patches the header and closes; idempotent

 private:
  std::string path_;
  unsigned channels_;
  std::FILE* file_;
  std::uint64_t data_bytes_ = 0;
};

// Peak level of one channel of interleaved stereo samples, 0 to 1.
double channel_peak(std::string_view stereo, unsigned channel);

}  // namespace vapidash::cli
