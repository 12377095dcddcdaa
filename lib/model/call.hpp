#pragma once

#include <optional>
#include <string>

namespace vapidash {

// One call of one tenant, keyed by (client_id, id). Timestamps are in the format of format_timestamp().
struct Call {
  std::string client_id;
  std::string id;
  std::string phone_number;
  std::string status;
  std::optional<std::string> started_at;
  std::optional<std::string> ended_at;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> listen_url;

  bool operator==(const Call&) const = default;
};

}  // namespace vapidash
