#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "vapidash/net/client_stream.hpp"
#include "vapidash/net/net.hpp"

namespace vapidash::server {

// What a control URL answered.
struct UpstreamResponse {
  unsigned status = 0;
  std::string body;
};

// How VAPI's control URL took a forwarded request.
struct ControlAnswer {
  enum class Kind {
    answered,     // `response` holds its status and body
    timed_out,    // no answer within the deadline: the request may or may not have been acted on
    unreachable,  // no connection (or the URL is not one vapidash can use)
    certificate,  // its TLS certificate was refused
  };
  Kind kind = Kind::answered;
  UpstreamResponse response;
};

// Sends control requests to calls' control URLs off the I/O threads: each on a small pool of its own, on a
// fresh connection, within a deadline. Only a bounded number wait or run at once.
class ControlForwarder {
 public:
  ControlForwarder(TlsOptions tls, std::chrono::milliseconds timeout, std::size_t max_in_flight = 32);
  ~ControlForwarder();
  ControlForwarder(const ControlForwarder&) = delete;
  ControlForwarder& operator=(const ControlForwarder&) = delete;

  // POSTs `body` (JSON) to `url`; `done` runs once on a pool thread. False, without calling `done`, when
  // max_in_flight requests are already under way.
  bool forward(std::string url, std::string body, std::function<void(ControlAnswer)> done);

  // Waits for the requests under way; later ones are refused. Idempotent.
  void stop();

  std::chrono::milliseconds timeout() const noexcept { return timeout_; }

 private:
  ControlAnswer post(const std::string& url, std::string body) const;
  UpstreamResponse exchange(const ServerUrl& server, std::string body) const;

  TlsOptions tls_;
  std::chrono::milliseconds timeout_;
  std::size_t max_in_flight_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> stopped_{false};
  net::thread_pool pool_{2};
};

}  // namespace vapidash::server
