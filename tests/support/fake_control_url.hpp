#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vapidash/net/net.hpp"

namespace vapidash::test {

// A stand-in for one VAPI control URL on 127.0.0.1:0: records every request and answers each with the
// status and body it is set to, or, when holding, never answers (until destroyed).
class FakeControlUrl {
 public:
  struct Received {
    std::string target;
    std::string body;
  };

  FakeControlUrl();
  ~FakeControlUrl();
  FakeControlUrl(const FakeControlUrl&) = delete;
  FakeControlUrl& operator=(const FakeControlUrl&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT/control/abc"
  void answer(unsigned status, std::string body);
  void hold();  // requests are read and recorded, never answered

  std::vector<Received> received() const;
  // Waits (up to 10 s) until `count` requests arrived; false when they did not.
  bool wait_for(std::size_t count) const;

 private:
  void serve();
  void exchange(tcp::socket socket);

  net::io_context ioc_;
  tcp::acceptor acceptor_;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<Received> received_;
  unsigned status_ = 200;
  std::string body_ = R"({"ok": true})";
  bool holding_ = false;
  bool stopping_ = false;
  std::condition_variable released_;
  std::vector<std::thread> connections_;
  std::thread acceptor_thread_;
};

}  // namespace vapidash::test
