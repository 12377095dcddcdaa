#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vapidash {

using clock_type = std::chrono::system_clock;
using timestamp = std::chrono::sys_time<std::chrono::microseconds>;

timestamp now_utc();

// The existing clients' format: UTC, microseconds, no offset — "2025-12-10T07:05:14.195889".
std::string format_timestamp(timestamp t);

// Reads the format above and ISO-8601 variants VAPI sends ("2026-11-20T15:43:16.145Z", "+00:00" offsets).
std::optional<timestamp> parse_timestamp(std::string_view text);

std::int64_t unix_seconds(timestamp t);

}  // namespace vapidash
