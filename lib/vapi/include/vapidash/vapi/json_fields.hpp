#pragma once

#include <optional>
#include <string>

#include "vapidash/wire/json.hpp"

namespace vapidash::vapi {

// Lenient readers for optional fields of real-world messages: anything missing, empty or of another type
// reads as absent instead of failing the message.
const json* object_at(const json& parent, const char* key);
std::optional<std::string> text_at(const json& parent, const char* key);
std::optional<double> number_at(const json& parent, const char* key);

// A time given as an ISO-8601 string or as epoch milliseconds, in the stored timestamp format.
std::optional<std::string> time_at(const json& parent, const char* key);

}  // namespace vapidash::vapi
