#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace vapidash {

// How much of a webhook's message a timeline entry keeps: all of it, its compact form (compact_message), or
// only its type. A debug entry's payload is always kept in full.
enum class PayloadForm { full, compact, none };

constexpr std::string_view payload_form_name(PayloadForm form) noexcept {
  switch (form) {
    case PayloadForm::compact:
      return "compact";
    case PayloadForm::none:
      return "none";
    case PayloadForm::full:
      break;
  }
  return "full";
}

constexpr std::optional<PayloadForm> parse_payload_form(std::string_view name) noexcept {
  for (const auto form : {PayloadForm::full, PayloadForm::compact, PayloadForm::none}) {
    if (payload_form_name(form) == name) return form;
  }
  return std::nullopt;
}

// One entry of a call's timeline. `payload` is kept as the JSON value that was stored, in `payload_form`.
struct StatusEvent {
  std::int64_t id = 0;
  std::string client_id;
  std::string call_id;
  std::string status;
  std::string created_at;
  nlohmann::ordered_json payload = nlohmann::ordered_json::object();
  PayloadForm payload_form = PayloadForm::full;

  bool operator==(const StatusEvent&) const = default;
};

}  // namespace vapidash
