#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace vapidash {

// One entry of a call's timeline. `payload` is kept as the JSON value that was sent.
struct StatusEvent {
  std::int64_t id = 0;
  std::string client_id;
  std::string call_id;
  std::string status;
  std::string created_at;
  nlohmann::ordered_json payload = nlohmann::ordered_json::object();

  bool operator==(const StatusEvent&) const = default;
};

}  // namespace vapidash
