#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "vapidash/server/app_context.hpp"
#include "vapidash/server/broadcast_hub.hpp"
#include "vapidash/server/feed_scope.hpp"
#include "vapidash/server/http_types.hpp"
#include "vapidash/server/server_options.hpp"
#include "vapidash/server/session_registry.hpp"

namespace vapidash::server {

// One dashboard feed. Sends queued messages one write at a time; a client that falls behind by more than the
// queue bound is closed with 1008 (policy violation) so it never slows the others or grows memory. Text the
// dashboard sends is a feed request (subscribe, unsubscribe), answered on the same queue.
class WebsocketSession final : public Subscriber,
                               public Session,
                               public std::enable_shared_from_this<WebsocketSession> {
 public:
  WebsocketSession(beast::tcp_stream&& stream, AppContext& app, SessionRegistry& registry,
                   const ServerOptions& options, FeedScope scope);

  void run(Request upgrade);
  void deliver(std::shared_ptr<const std::string> message) override;
  void shut_down() override;
  void restart() override;

 private:
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void on_deliver(std::shared_ptr<const std::string> message);
  void do_write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void close(websocket::close_code code);
  void close_soon(websocket::close_code code);
  void leave();

  websocket::stream<beast::tcp_stream> ws_;
  AppContext& app_;
  BroadcastHub& hub_;
  SessionRegistry& registry_;
  const ServerOptions& options_;
  FeedScope scope_;
  beast::flat_buffer read_buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queued_bytes_ = 0;
  bool accepted_ = false;
  bool joined_ = false;
  bool closing_ = false;
  websocket::close_code close_code_ = websocket::close_code::going_away;  // for a close asked before accept
  net::steady_timer close_deadline_;
};

}  // namespace vapidash::server
