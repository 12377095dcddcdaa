#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/test_tls.hpp"
#include "vapidash/client/feed_client.hpp"

namespace vapidash::test {

// A stand-in for VAPI's call.monitor.listenUrl on 127.0.0.1:0: a WebSocket server (wss when given a
// certificate) that sends each connection the greeting messages, records what each connection sends, and
// closes its connections when told. Its URL has a secret path, as VAPI's do, that tests look for where it
// must not appear.
class FakeListenUpstream {
 public:
  struct Options {
    std::vector<FeedMessage> greeting;           // sent to each connection after its handshake
    std::optional<TestCertificate> certificate;  // wss when set
    unsigned refuse_status = 0;                  // answer upgrades with this HTTP status instead
  };

  explicit FakeListenUpstream(Options options);
  ~FakeListenUpstream();
  FakeListenUpstream(const FakeListenUpstream&) = delete;
  FakeListenUpstream& operator=(const FakeListenUpstream&) = delete;

  static const std::string secret_path;  // "/<a capability>/listen"

  std::uint16_t port() const noexcept { return port_; }
  // ws[s]://HOST:PORT/<secret>/listen; `host` must resolve to 127.0.0.1.
  std::string url(const std::string& host = "127.0.0.1") const;

  // Closes every open connection with a close frame carrying `code`, or cuts them off without one.
  void close_all(std::uint16_t code);
  void cut_off_all();

  std::vector<FeedMessage> received() const;  // from every connection, in order
  std::vector<std::string> targets() const;   // of every upgrade request
  int open_connections() const;               // open ones that have been sent the whole greeting

  // Wait up to 10 s until that many connections are open, or that many messages were received; false when
  // it did not happen.
  bool wait_for_open_connections(int count) const;
  bool wait_for_received(std::size_t count) const;

 private:
  struct Impl;
  friend struct Impl;

  Options options_;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<FeedMessage> received_;
  std::vector<std::string> targets_;
  int open_ = 0;
  std::thread thread_;
};

}  // namespace vapidash::test
