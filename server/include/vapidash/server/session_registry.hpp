#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>

namespace vapidash::server {

// A connection that a graceful stop must close: HTTP sessions and dashboard feeds.
class Session {
 public:
  virtual ~Session() = default;
  // Idle HTTP connections close now, busy ones after their response; feeds close with 1001 (going away).
  virtual void shut_down() = 0;
};

// Live sessions, so a graceful stop reaches every connection whatever state it is in.
class SessionRegistry {
 public:
  void add(const std::shared_ptr<Session>& session);
  void remove(const Session* session);
  void shut_down_all();

 private:
  std::mutex mutex_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
};

}  // namespace vapidash::server
