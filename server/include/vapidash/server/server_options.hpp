#pragma once

#include <chrono>
#include <cstddef>

#include "vapidash/net/endpoint.hpp"
#include "vapidash/server/cors.hpp"

namespace vapidash::server {

struct ServerOptions {
  Endpoint listen{"127.0.0.1", 8000};
  unsigned threads = 0;                    // 0: one per hardware thread
  std::size_t body_limit = 1024 * 1024;    // bytes of a request body
  std::chrono::seconds read_timeout{30};   // for a request, and for an idle keep-alive connection
  std::size_t feed_queue_messages = 4096;  // per dashboard socket, before it is closed as too slow
  std::size_t feed_queue_bytes = 16 * 1024 * 1024;
  std::chrono::seconds feed_idle_timeout{60};  // a silent dashboard is pinged, then dropped
  std::chrono::seconds shutdown_grace{10};     // in-flight work gets this long to finish on stop()
  CorsPolicy cors;                             // which browser origins may use the API and the feed
};

}  // namespace vapidash::server
