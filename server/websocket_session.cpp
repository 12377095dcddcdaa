#include "vapidash/server/websocket_session.hpp"

#include "vapidash/server/disconnect.hpp"
#include "vapidash/server/feed_commands.hpp"
#include "vapidash/server/log.hpp"

namespace vapidash::server {

namespace {
// Feed requests are a few hundred bytes; anything far larger is not one.
constexpr std::size_t max_feed_request_bytes = 64 * 1024;

void fail(beast::error_code ec, const char* what) {
  if (is_disconnect(ec)) {
    log().debug("feed {}: {}", what, ec.message());
  } else {
    log().warn("feed {}: {}", what, ec.message());
  }
}
}  // namespace

WebsocketSession::WebsocketSession(beast::tcp_stream&& stream, AppContext& app, SessionRegistry& registry,
                                   const ServerOptions& options, FeedScope scope)
    : ws_(std::move(stream)),
      app_(app),
      hub_(app.hub),
      registry_(registry),
      options_(options),
      scope_(std::move(scope)),
      close_deadline_(ws_.get_executor()) {}

void WebsocketSession::run(Request upgrade) {
  registry_.add(shared_from_this());
  beast::get_lowest_layer(ws_).expires_never();
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = options_.feed_idle_timeout;
  timeouts.keep_alive_pings = true;
  timeouts.handshake_timeout = std::chrono::seconds(5);
  ws_.set_option(timeouts);
  ws_.read_message_max(max_feed_request_bytes);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "vapidash"); }));
  // Joined before the handshake answer goes out: a client that saw its 101 misses no later write.
  // Messages published meanwhile wait in the queue until on_accept.
  hub_.join(shared_from_this(), scope_);
  joined_ = true;
  ws_.async_accept(upgrade, beast::bind_front_handler(&WebsocketSession::on_accept, shared_from_this()));
}

void WebsocketSession::on_accept(beast::error_code ec) {
  accepted_ = true;
  if (ec) {
    leave();
    return fail(ec, "accept");
  }
  // A stop that arrived during the handshake closes the feed as soon as it can carry a close frame.
  if (closing_) return close(close_code_);
  do_read();
  if (!queue_.empty()) do_write();
}

// Reading also keeps control frames (ping, close) flowing.
void WebsocketSession::do_read() {
  ws_.async_read(read_buffer_, beast::bind_front_handler(&WebsocketSession::on_read, shared_from_this()));
}

void WebsocketSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    leave();
    return fail(ec, "read");
  }
  if (ws_.got_text() && !closing_) {
    on_deliver(std::make_shared<const std::string>(
        answer_feed_request(app_, *this, scope_, beast::buffers_to_string(read_buffer_.data()))));
  }
  read_buffer_.consume(read_buffer_.size());
  do_read();
}

void WebsocketSession::deliver(std::shared_ptr<const std::string> message) {
  net::post(ws_.get_executor(),
            beast::bind_front_handler(&WebsocketSession::on_deliver, shared_from_this(), std::move(message)));
}

void WebsocketSession::on_deliver(std::shared_ptr<const std::string> message) {
  if (closing_) return;
  if (queue_.size() >= options_.feed_queue_messages ||
      queued_bytes_ + message->size() > options_.feed_queue_bytes) {
    log().warn("feed closed: the dashboard is {} messages behind and stopped reading", queue_.size());
    hub_.record_drop();
    return close(websocket::close_code::policy_error);
  }
  queued_bytes_ += message->size();
  queue_.push_back(std::move(message));
  if (queue_.size() == 1 && accepted_) do_write();
}

void WebsocketSession::do_write() {
  ws_.text(true);
  ws_.async_write(net::buffer(*queue_.front()),
                  beast::bind_front_handler(&WebsocketSession::on_write, shared_from_this()));
}

void WebsocketSession::on_write(beast::error_code ec, std::size_t) {
  if (ec) {
    leave();
    return fail(ec, "write");
  }
  queued_bytes_ -= queue_.front()->size();
  queue_.pop_front();
  if (!queue_.empty() && !closing_) do_write();
}

void WebsocketSession::shut_down() {
  close_soon(websocket::close_code::going_away);
}

void WebsocketSession::restart() {
  close_soon(websocket::close_code::service_restart);
}

// From any thread; a feed still in its handshake closes once it can carry a close frame.
void WebsocketSession::close_soon(websocket::close_code code) {
  net::post(ws_.get_executor(), [self = shared_from_this(), code] {
    if (self->closing_) return;
    if (!self->accepted_) {
      self->closing_ = true;
      self->close_code_ = code;
      return;
    }
    self->close(code);
  });
}

// Sends a close frame; a peer that cannot take it (its write is stuck behind a full window) is cut off at the
// deadline, so a stalled client cannot hold the session.
void WebsocketSession::close(websocket::close_code code) {
  closing_ = true;
  leave();
  websocket::close_reason reason(code);
  if (code == websocket::close_code::service_restart)
    reason.reason = "changes may have been missed: load the calls again";
  ws_.async_close(reason, [self = shared_from_this()](beast::error_code ec) {
    self->close_deadline_.cancel();
    if (ec) fail(ec, "close");
  });
  close_deadline_.expires_after(std::chrono::seconds(2));
  close_deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    beast::error_code ignored;
    beast::get_lowest_layer(self->ws_).socket().close(ignored);
  });
}

void WebsocketSession::leave() {
  registry_.remove(this);
  if (!joined_) return;
  joined_ = false;
  hub_.leave(this);
}

}  // namespace vapidash::server
