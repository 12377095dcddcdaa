#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vapidash/net/net.hpp"

namespace vapidash {

// A dashboard of the load generator: a WebSocket feed read for as long as it is open. Each message is
// handed over in place, from the buffer it was read into.
class LoadFeed {
 public:
  using clock = std::chrono::steady_clock;
  class Sink {
   public:
    virtual void received(LoadFeed& feed, std::string_view text, clock::time_point at) = 0;
    // The feed ended before close() was called: the server closed it (with its code and reason) or the
    // connection broke.
    virtual void ended(LoadFeed& feed, const std::string& why) = 0;

    virtual ~Sink() = default;
  };

  LoadFeed(net::io_context& ioc, const std::vector<tcp::endpoint>& endpoints, std::string host,
           std::string target, std::size_t index);
  LoadFeed(const LoadFeed&) = delete;
  LoadFeed& operator=(const LoadFeed&) = delete;

  // Connects and opens the feed within `timeout`; then reads into `sink` until closed, unless `reading` is
  // false: a stalled dashboard that never reads.
  void open(std::chrono::milliseconds timeout, Sink& sink, bool reading,
            std::function<void(const std::string& error)> opened);
  // A stalled feed starts reading at last: what is left of its backlog, then how the server ended it.
  void resume() { read(); }
  void close();
  std::size_t index() const noexcept { return index_; }

 private:
  void read();
  std::string close_text() const;

  websocket::stream<beast::tcp_stream> ws_;
  const std::vector<tcp::endpoint>& endpoints_;
  std::string host_;
  std::string target_;
  std::size_t index_;
  beast::flat_buffer buffer_;
  Sink* sink_ = nullptr;
  bool closing_ = false;
};

}  // namespace vapidash
