#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "vapidash/model/status_event.hpp"
#include "vapidash/net/client_stream.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/server/cors.hpp"

namespace vapidash::server {

struct RetentionOptions {
  std::chrono::seconds keep{0};         // calls that ended longer ago than this are removed
  std::chrono::seconds interval{60};    // between passes
  std::chrono::milliseconds pause{20};  // between the steps of one pass: writes come first
  std::int64_t rows_per_step = 1000;    // what one step may remove: its time in the write queue
};

struct ServerOptions {
  Endpoint listen{"127.0.0.1", 8000};
  unsigned threads = 0;                    // 0: one per hardware thread
  std::size_t body_limit = 1024 * 1024;    // bytes of a request body
  std::chrono::seconds read_timeout{30};   // for a request, and for an idle keep-alive connection
  std::size_t feed_queue_messages = 4096;  // per dashboard socket, before it is closed as too slow
  std::size_t feed_queue_bytes = 16 * 1024 * 1024;
  std::chrono::seconds feed_idle_timeout{60};   // a silent dashboard is pinged, then dropped
  std::size_t max_listeners_per_call = 8;       // call-audio listeners (GET /ws/listen) of one call
  std::size_t max_listeners = 256;              // of the whole server
  std::size_t listen_queue_bytes = 256 * 1024;  // per relay direction (~4 s of audio); then oldest dropped
  std::chrono::seconds upstream_timeout{10};    // to connect to a listen URL and complete its handshakes
  std::chrono::seconds shutdown_grace{10};      // in-flight work gets this long to finish on stop()
  CorsPolicy cors;                              // which browser origins may use the API and the feed
  PayloadForm payloads = PayloadForm::compact;  // how much of each webhook message the timeline keeps
  std::optional<RetentionOptions> retention;    // none: calls are kept forever
  TlsOptions upstream_tls;                      // how calls' control and listen URLs (VAPI) are trusted
  std::chrono::milliseconds control_timeout{5000};  // for a control request forwarded to VAPI
};

}  // namespace vapidash::server
