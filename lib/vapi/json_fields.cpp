#include "vapidash/vapi/json_fields.hpp"

#include <charconv>
#include <cmath>

#include "vapidash/model/timestamp.hpp"

namespace vapidash::vapi {

namespace {
const json* child(const json& parent, const char* key) {
  if (!parent.is_object()) return nullptr;
  const auto it = parent.find(key);
  return it == parent.end() ? nullptr : &*it;
}

// Epoch milliseconds within years 1970–9999 (the last is 9999-12-31T23:59:59.999), so formatting stays in
// range.
std::optional<std::string> from_epoch_ms(double ms) {
  if (!std::isfinite(ms) || ms < 0 || ms >= 253402300800000.0) return std::nullopt;
  // Whole milliseconds and their fraction apart: as a double, ms * 1000 is not exact past 2^53 microseconds.
  const double whole = std::floor(ms);
  const auto micros =
      static_cast<std::int64_t>(whole) * 1000 + static_cast<std::int64_t>((ms - whole) * 1000);
  return format_timestamp(timestamp(std::chrono::microseconds(micros)));
}
}  // namespace

const json* object_at(const json& parent, const char* key) {
  const auto* value = child(parent, key);
  return value != nullptr && value->is_object() ? value : nullptr;
}

std::optional<std::string> text_at(const json& parent, const char* key) {
  const auto* value = child(parent, key);
  if (value == nullptr || !value->is_string() || value->get_ref<const std::string&>().empty())
    return std::nullopt;
  return value->get<std::string>();
}

std::optional<double> number_at(const json& parent, const char* key) {
  const auto* value = child(parent, key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  const auto number = value->get<double>();
  return std::isfinite(number) ? std::optional<double>(number) : std::nullopt;
}

std::optional<std::string> time_at(const json& parent, const char* key) {
  if (const auto ms = number_at(parent, key)) return from_epoch_ms(*ms);
  const auto text = text_at(parent, key);
  if (!text) return std::nullopt;
  // Some senders quote epoch milliseconds: "1721022290391".
  double ms = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), ms);
  if (ec == std::errc{} && end == text->data() + text->size()) return from_epoch_ms(ms);
  const auto parsed = parse_timestamp(*text);
  return parsed ? std::optional<std::string>(format_timestamp(*parsed)) : std::nullopt;
}

}  // namespace vapidash::vapi
