#pragma once

#include <optional>
#include <string>

namespace vapidash::server {

// What a dashboard feed subscribes to.
struct FeedScope {
  std::optional<std::string> client_id;  // nullopt: every tenant
  bool events = false;                   // timeline events too (?events=1), not only call changes
};

}  // namespace vapidash::server
