#pragma once

#include <exception>
#include <memory>
#include <optional>

#include "vapidash/net/client_stream.hpp"
#include "vapidash/server/http_types.hpp"
#include "vapidash/server/listen_relays.hpp"
#include "vapidash/server/relay_queue.hpp"
#include "vapidash/server/session_context.hpp"

namespace vapidash::server {

// One listener of a call's live audio (GET /ws/listen/{client_id}/{call_id}): connects to the call's listen
// URL and relays frames both ways, binary and text as they came, each direction through a bounded
// RelayQueue, everything on the connection's strand. The listen URL never reaches the listener: every
// failure closes it with a code and a reason of our own (listen_close).
class ListenSession final : public Session, public std::enable_shared_from_this<ListenSession> {
 public:
  ListenSession(beast::tcp_stream&& stream, SessionContext& context, ListenScope scope);

  void run(Request upgrade);
  void shut_down() override;

 private:
  using Upstream = websocket::stream<ClientStream>;

  void on_accept(beast::error_code ec);
  void connect_upstream(const WebSocketUrl& url);
  void on_upstream_connected(const WebSocketUrl& url, const std::exception_ptr& failure);
  void on_upstream_handshake(beast::error_code ec);
  void read_listener();
  void on_listener_read(beast::error_code ec, std::size_t bytes);
  void read_upstream();
  void on_upstream_read(beast::error_code ec, std::size_t bytes);
  void relay(RelayDirection direction, RelayFrame frame);
  void write_listener();
  void on_listener_written(beast::error_code ec, std::size_t bytes);
  void write_upstream();
  void on_upstream_written(beast::error_code ec, std::size_t bytes);
  void end(ListenRefusal why);
  void close_listener(const ListenRefusal& why);
  void listener_gone();
  void close_upstream();
  void await_close();
  void on_closed();

  websocket::stream<beast::tcp_stream> listener_;
  SessionContext& context_;
  ListenRelays& relays_;
  ListenScope scope_;
  std::unique_ptr<Upstream> upstream_;
  websocket::response_type upstream_answer_;
  beast::flat_buffer from_listener_;
  beast::flat_buffer from_upstream_;
  RelayQueue to_listener_;
  RelayQueue to_upstream_;
  std::optional<RelayFrame> writing_to_listener_;  // the frame in flight; queued ones wait behind it
  std::optional<RelayFrame> writing_to_upstream_;
  std::optional<ListenRefusal> ending_;  // the close the listener gets once its queued frames are written
  bool accepted_ = false;
  bool stopping_ = false;
  bool upstream_open_ = false;  // its WebSocket handshake completed and it has not closed
  bool listener_done_ = false;  // closing or gone: nothing more is written to it
  bool upstream_done_ = false;
  int closes_pending_ = 0;
  net::steady_timer close_deadline_;
};

}  // namespace vapidash::server
