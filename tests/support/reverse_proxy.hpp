#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/test_tls.hpp"
#include "vapidash/net/endpoint.hpp"

namespace vapidash::test {

// A reverse proxy in front of a real server, as deployments put one: on 127.0.0.1, it terminates TLS when
// given a certificate and serves the backend under a path prefix (answering 404 outside it), forwarding HTTP
// requests and WebSocket upgrades over real sockets. It records what it was asked for.
class ReverseProxy {
 public:
  struct Options {
    Endpoint backend;
    std::string prefix;                          // "" or "/vapidash"
    std::optional<TestCertificate> certificate;  // https when set
  };

  explicit ReverseProxy(Options options);
  ~ReverseProxy();
  ReverseProxy(const ReverseProxy&) = delete;
  ReverseProxy& operator=(const ReverseProxy&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  // "https://HOST:PORT/prefix" as a client names it; `host` must resolve to 127.0.0.1.
  std::string url(const std::string& host = "127.0.0.1") const;

  std::vector<std::string> targets() const;  // every request target received, as sent
  std::vector<std::string> server_names()
      const;  // the SNI of every TLS handshake that succeeded ("" if none)
  int handshakes_refused() const noexcept { return handshakes_refused_; }  // TLS handshakes that failed

 private:
  struct Impl;
  void record(std::vector<std::string>& list, std::string entry);

  Options options_;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::vector<std::string> targets_;
  std::vector<std::string> server_names_;
  std::atomic<int> handshakes_refused_{0};
  std::thread thread_;
};

}  // namespace vapidash::test
