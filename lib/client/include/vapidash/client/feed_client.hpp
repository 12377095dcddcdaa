#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "vapidash/net/client_stream.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/net/net.hpp"

namespace vapidash {

// The feed's target: /ws/dashboard with ?client_id= (one tenant), &events=1 (timeline events too) and
// &token= (a guarded tenant), each only when given, percent-encoded.
std::string dashboard_feed_target(const std::optional<std::string>& client_id, bool events,
                                  const std::optional<std::string>& token);

// A call's live audio: /ws/listen/{client_id}/{call_id}, with &token= when given, percent-encoded.
std::string listen_target(const std::string& client_id, const std::string& call_id,
                          const std::optional<std::string>& token);

// One WebSocket message as it came.
struct FeedMessage {
  std::string data;
  bool binary = false;
};

// A blocking client of the dashboard feed (GET /ws/dashboard), over TLS (wss) for https. One read stays
// pending between calls, so a read that times out loses nothing: the next call picks the message up.
class FeedClient {
 public:
  // `target` is the path and query under the server URL's prefix, e.g. "/ws/dashboard?client_id=acme".
  // Throws invalid_input("invalid_cacert") when tls.ca_file cannot be loaded.
  FeedClient(ServerUrl server, std::string target,
             std::chrono::milliseconds timeout = std::chrono::seconds(10), const TlsOptions& tls = {});
  ~FeedClient();
  FeedClient(const FeedClient&) = delete;
  FeedClient& operator=(const FeedClient&) = delete;

  // Connects and completes the WebSocket handshake. Throws connection_error when the server cannot be
  // reached, server_error when it answers the upgrade with an error status.
  void connect();

  // The next text message, or nullopt when none arrived within `wait`. Throws connection_error once the
  // server closed the feed or the connection broke; close_reason() then tells why.
  std::optional<std::string> read(std::chrono::milliseconds wait);
  // The same for feeds that also send binary messages (GET /ws/listen): the message and its kind.
  std::optional<FeedMessage> read_message(std::chrono::milliseconds wait);

  // Sends one message, binary or text; throws connection_error when it cannot.
  void write(std::string_view data, bool binary);

  // Sends a ping and waits for the server's pong; messages that arrive meanwhile are kept for read(). Throws
  // connection_error when no pong arrives within the timeout: the feed is dead even if TCP has not noticed.
  void ping();

  // Sends a text message (a feed request such as {"type": "subscribe", ...}); messages that arrive meanwhile
  // are kept for read(). Throws connection_error when it cannot be sent in time.
  void send(const std::string& text);

  // Makes a read() or ping() blocked in another thread return early (read: nullopt). The one call that is
  // safe from another thread; one that lands just before such a call starts is not seen by it.
  void interrupt() { ioc_.stop(); }

  websocket::close_reason close_reason() const { return ws_.reason(); }
  void close();

 private:
  void start_read();
  FeedMessage take_message();
  template <class Done>
  void run_until(Done done, std::chrono::milliseconds wait);

  std::string feed_url() const;  // for messages: without the query, which may carry a token

  ServerUrl server_;
  std::string target_;
  std::chrono::milliseconds timeout_;
  net::io_context ioc_;
  websocket::stream<ClientStream> ws_;
  beast::flat_buffer buffer_;
  bool read_pending_ = false;
  std::optional<beast::error_code> read_result_;
  std::deque<FeedMessage> arrived_during_ping_;
  std::uint64_t pongs_ = 0;
};

}  // namespace vapidash
