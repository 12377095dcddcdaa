#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "vapidash/net/endpoint.hpp"
#include "vapidash/net/net.hpp"

namespace vapidash::test {

using RawRequest = http::request<http::string_body>;
using RawResponse = http::response<http::string_body>;

struct RawAnswer {
  RawResponse response;
  std::vector<std::size_t>
      chunk_sizes;  // of the body's chunks, the last (empty) one left out; none unchunked
};

// One connection to the server, written and read as raw HTTP, so a test sees what HttpClient hides: every
// header, the framing of the body, whether the connection stays open for a second request. Sets Host when a
// request has none; every operation throws when it fails or makes no progress for 10 s. No limit on body
// size.
class RawConnection {
 public:
  explicit RawConnection(const Endpoint& endpoint);

  void send(RawRequest request);
  RawAnswer receive();

 private:
  template <class Start>
  void run(const std::string& what, Start start);

  Endpoint endpoint_;
  std::string target_;  // of the last request sent, for errors
  net::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
};

// Sends `request` on a fresh connection and reads the whole answer, headers included (HttpClient keeps only
// the status, type and body).
RawResponse raw_exchange(const Endpoint& endpoint, RawRequest request);

// A WebSocket upgrade request for `target`, as a browser sends it (without Origin).
RawRequest websocket_upgrade(const std::string& target);

}  // namespace vapidash::test
