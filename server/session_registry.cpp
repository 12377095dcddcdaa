#include "vapidash/server/session_registry.hpp"

#include <vector>

namespace vapidash::server {

void SessionRegistry::add(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session.get(), session);
}

void SessionRegistry::remove(const Session* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

void SessionRegistry::shut_down_all() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [_, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (const auto& session : live) session->shut_down();
}

}  // namespace vapidash::server
