#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>

namespace vapidash::server {

class HttpSession;

// Live HTTP sessions, so a graceful stop can close idle keep-alive connections instead of waiting them out.
class SessionRegistry {
 public:
  void add(const std::shared_ptr<HttpSession>& session);
  void remove(const HttpSession* session);
  void shut_down_all();

 private:
  std::mutex mutex_;
  std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_;
};

}  // namespace vapidash::server
