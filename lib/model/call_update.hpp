#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/call.hpp"

namespace vapidash {

// A change to one call, as handlers submit it to the store. Absent fields keep their stored values;
// a new call takes the API.md defaults.
struct CallUpdate {
  std::string client_id;
  std::string call_id;  // empty: the store generates "debug-{unix seconds}[-n]", unique within the tenant
  std::optional<std::string> status;
  std::optional<std::string> phone_number;
  nlohmann::ordered_json event_payload = nlohmann::ordered_json::object();
};

// What the store did with a CallUpdate.
struct CallUpdateOutcome {
  Call call;             // the row as committed
  bool updated = false;  // the call existed before
  std::int64_t status_event_id = 0;
};

// A timeline entry to log without touching the call row.
struct EventRecord {
  std::string client_id;
  std::string call_id;
  std::string status;
  nlohmann::ordered_json payload = nlohmann::ordered_json::object();
};

inline constexpr const char* default_phone_number = "+15555550123";
inline constexpr const char* default_status = "in-progress";

}  // namespace vapidash
