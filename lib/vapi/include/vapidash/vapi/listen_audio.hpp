#pragma once

#include <cstddef>

namespace vapidash {

// VAPI's listen stream (call.monitor.listenUrl): binary frames of raw PCM, signed 16-bit little-endian,
// 16 kHz, two interleaved channels, 0 the customer and 1 the assistant.
inline constexpr int listen_sample_rate = 16000;
inline constexpr int listen_channels = 2;
inline constexpr int listen_bytes_per_sample = 2;
inline constexpr int customer_channel = 0;
inline constexpr int assistant_channel = 1;

}  // namespace vapidash
