#include "vapidash/server/listen_session.hpp"

#include "vapidash/error.hpp"
#include "vapidash/server/disconnect.hpp"
#include "vapidash/server/log.hpp"

namespace vapidash::server {

namespace {

constexpr std::size_t max_frame_bytes = 1024 * 1024;
constexpr std::size_t max_close_reason = 123;  // what a close frame can carry (RFC 6455)

void note_listen_failure(beast::error_code ec, const char* what) {
  if (is_disconnect(ec)) {
    log().debug("listen {}: {}", what, ec.message());
  } else {
    log().warn("listen {}: {}", what, ec.message());
  }
}

bool normal_close(websocket::close_code code) {
  return code == websocket::close_code::normal || code == websocket::close_code::going_away;
}

}  // namespace

ListenSession::ListenSession(beast::tcp_stream&& stream, SessionContext& context, ListenScope scope)
    : listener_(std::move(stream)),
      context_(context),
      relays_(context.app.listen),
      scope_(std::move(scope)),
      to_listener_(context.options.listen_queue_bytes),
      to_upstream_(context.options.listen_queue_bytes),
      close_deadline_(listener_.get_executor()) {}

void ListenSession::run(Request upgrade) {
  context_.registry.add(shared_from_this());
  beast::get_lowest_layer(listener_).expires_never();
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = context_.options.feed_idle_timeout;
  timeouts.keep_alive_pings = true;
  timeouts.handshake_timeout = std::chrono::seconds(5);
  listener_.set_option(timeouts);
  listener_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "vapidash"); }));
  listener_.read_message_max(max_frame_bytes);
  listener_.async_accept(upgrade, beast::bind_front_handler(&ListenSession::on_accept, shared_from_this()));
}

void ListenSession::on_accept(beast::error_code ec) {
  accepted_ = true;
  if (ec) {
    context_.registry.remove(this);
    return note_listen_failure(ec, "accept");
  }
  if (stopping_) return close_listener({listen_close::server_stopping, "the server is shutting down"});
  if (const auto* refusal = std::get_if<ListenRefusal>(&scope_.outcome)) return close_listener(*refusal);
  log().info("listen {}/{}: relaying the call's audio", scope_.client_id, scope_.call_id);
  read_listener();
  connect_upstream(std::get<ListenUpstream>(scope_.outcome).url);
}

void ListenSession::connect_upstream(const WebSocketUrl& url) {
  upstream_ = std::make_unique<Upstream>(listener_.get_executor(), url.server, relays_.upstream_tls());
  upstream_->read_message_max(max_frame_bytes);
  upstream_->next_layer().async_connect(
      std::chrono::duration_cast<std::chrono::milliseconds>(context_.options.upstream_timeout),
      [self = shared_from_this(), &url](const std::exception_ptr& failure) {
        self->on_upstream_connected(url, failure);
      });
}

// Only the listener's own words go into a reason: the errors name the upstream's host, which stays in the
// log.
void ListenSession::on_upstream_connected(const WebSocketUrl& url, const std::exception_ptr& failure) {
  if (upstream_done_) return upstream_->next_layer().tcp().close();
  if (failure) {
    upstream_done_ = true;
    std::string reason = "cannot reach the call's audio stream";
    try {
      std::rethrow_exception(failure);
    } catch (const certificate_error& e) {
      log().warn("listen {}/{}: {}", scope_.client_id, scope_.call_id, e.what());
      reason = "the call's audio stream has a TLS certificate this server does not trust";
    } catch (const std::exception& e) {
      log().warn("listen {}/{}: {}", scope_.client_id, scope_.call_id, e.what());
    }
    return end({listen_close::upstream_unreachable, reason});
  }
  auto& tcp = upstream_->next_layer().tcp();
  tcp.expires_never();
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
  timeouts.handshake_timeout = context_.options.upstream_timeout;
  timeouts.idle_timeout = context_.options.feed_idle_timeout;
  timeouts.keep_alive_pings = true;
  upstream_->set_option(timeouts);
  upstream_->set_option(websocket::stream_base::decorator(
      [](websocket::request_type& req) { req.set(http::field::user_agent, "vapidash"); }));
  upstream_->async_handshake(
      upstream_answer_, url.server.host_header(), url.target,
      beast::bind_front_handler(&ListenSession::on_upstream_handshake, shared_from_this()));
}

void ListenSession::on_upstream_handshake(beast::error_code ec) {
  if (upstream_done_) return upstream_->next_layer().tcp().close();
  if (ec) {
    upstream_done_ = true;
    upstream_->next_layer().tcp().close();
    const auto status = upstream_answer_.result_int();
    log().warn("listen {}/{}: the upstream WebSocket handshake failed: {} (HTTP {})", scope_.client_id,
               scope_.call_id, ec.message(), status);
    return end({listen_close::upstream_unreachable,
                status != 0 && status != 101
                    ? "the call's audio stream refused the connection (HTTP " + std::to_string(status) + ")"
                    : "the call's audio stream did not complete the WebSocket handshake"});
  }
  upstream_open_ = true;
  read_upstream();
  if (!to_upstream_.empty()) write_upstream();
}

void ListenSession::read_listener() {
  listener_.async_read(from_listener_,
                       beast::bind_front_handler(&ListenSession::on_listener_read, shared_from_this()));
}

void ListenSession::on_listener_read(beast::error_code ec, std::size_t) {
  if (listener_done_) return;
  if (ec) {
    note_listen_failure(ec, "read from the listener");
    return listener_gone();
  }
  RelayFrame frame{beast::buffers_to_string(from_listener_.data()), listener_.got_binary()};
  from_listener_.consume(from_listener_.size());
  relay(RelayDirection::to_upstream, std::move(frame));
  read_listener();
}

void ListenSession::read_upstream() {
  upstream_->async_read(from_upstream_,
                        beast::bind_front_handler(&ListenSession::on_upstream_read, shared_from_this()));
}

// A close frame from upstream was answered by Beast before this read completed: nothing is left to close.
void ListenSession::on_upstream_read(beast::error_code ec, std::size_t) {
  if (upstream_done_) return;
  if (ec == websocket::error::closed) {
    upstream_done_ = true;
    upstream_open_ = false;
    const auto code = upstream_->reason().code;
    if (normal_close(static_cast<websocket::close_code>(code)))
      return end({listen_close::audio_ended, "the call's audio stream ended"});
    return end(
        {listen_close::upstream_failed, "the call's audio stream closed with code " + std::to_string(code)});
  }
  if (ec) {
    note_listen_failure(ec, "read from upstream");
    upstream_done_ = true;
    upstream_open_ = false;
    upstream_->next_layer().tcp().close();
    return end({listen_close::upstream_failed, "the call's audio stream broke off"});
  }
  RelayFrame frame{beast::buffers_to_string(from_upstream_.data()), upstream_->got_binary()};
  from_upstream_.consume(from_upstream_.size());
  relay(RelayDirection::to_listener, std::move(frame));
  read_upstream();
}

void ListenSession::relay(RelayDirection direction, RelayFrame frame) {
  const bool to_listener = direction == RelayDirection::to_listener;
  auto& queue = to_listener ? to_listener_ : to_upstream_;
  if (const auto dropped = queue.push(std::move(frame)); dropped > 0) {
    relays_.metrics().count_relay_drops(direction, dropped);
  }
  if (to_listener && !listener_done_ && !writing_to_listener_) write_listener();
  if (!to_listener && upstream_open_ && !upstream_done_ && !writing_to_upstream_) write_upstream();
}

void ListenSession::write_listener() {
  writing_to_listener_ = to_listener_.take();
  listener_.binary(writing_to_listener_->binary);
  listener_.async_write(net::buffer(writing_to_listener_->data),
                        beast::bind_front_handler(&ListenSession::on_listener_written, shared_from_this()));
}

void ListenSession::on_listener_written(beast::error_code ec, std::size_t bytes) {
  writing_to_listener_.reset();
  if (ec) {
    note_listen_failure(ec, "write to the listener");
    return listener_gone();
  }
  relays_.metrics().count_relayed(RelayDirection::to_listener, bytes);
  if (listener_done_) return;
  if (!to_listener_.empty()) return write_listener();
  if (ending_) close_listener(*ending_);
}

void ListenSession::write_upstream() {
  writing_to_upstream_ = to_upstream_.take();
  upstream_->binary(writing_to_upstream_->binary);
  upstream_->async_write(net::buffer(writing_to_upstream_->data),
                         beast::bind_front_handler(&ListenSession::on_upstream_written, shared_from_this()));
}

void ListenSession::on_upstream_written(beast::error_code ec, std::size_t bytes) {
  writing_to_upstream_.reset();
  if (ec)
    return note_listen_failure(ec, "write to upstream");  // the pending read reports the broken connection
  relays_.metrics().count_relayed(RelayDirection::to_upstream, bytes);
  if (!upstream_done_ && !to_upstream_.empty()) write_upstream();
}

// Upstream is over: the listener gets what is still queued for it, then the close that says why.
void ListenSession::end(ListenRefusal why) {
  to_upstream_.clear();
  if (listener_done_) return;
  if (writing_to_listener_) {
    ending_ = std::move(why);
    return;
  }
  close_listener(why);
}

void ListenSession::close_listener(const ListenRefusal& why) {
  if (listener_done_) return;
  listener_done_ = true;
  to_listener_.clear();
  context_.registry.remove(this);
  ++closes_pending_;
  const websocket::close_reason reason(static_cast<websocket::close_code>(why.code),
                                       why.reason.substr(0, max_close_reason));
  listener_.async_close(reason, [self = shared_from_this()](beast::error_code ec) {
    if (ec) note_listen_failure(ec, "close the listener");
    self->on_closed();
  });
  await_close();
  close_upstream();
}

void ListenSession::listener_gone() {
  if (listener_done_) return;
  listener_done_ = true;
  to_listener_.clear();
  context_.registry.remove(this);
  close_upstream();
}

void ListenSession::close_upstream() {
  to_upstream_.clear();
  if (!upstream_ || upstream_done_) return;
  upstream_done_ = true;
  if (!upstream_open_) return upstream_->next_layer().tcp().close();  // still connecting: cut it short
  upstream_open_ = false;
  ++closes_pending_;
  upstream_->async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code ec) {
    if (ec) note_listen_failure(ec, "close upstream");
    self->on_closed();
  });
  await_close();
}

// A peer that does not answer our close frame (a stalled listener, a hung upstream) is cut off at the
// deadline, so neither can hold the session.
void ListenSession::await_close() {
  close_deadline_.expires_after(std::chrono::seconds(2));
  close_deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    beast::error_code ignored;
    beast::get_lowest_layer(self->listener_).socket().close(ignored);
    if (self->upstream_) self->upstream_->next_layer().tcp().close();
  });
}

void ListenSession::on_closed() {
  if (--closes_pending_ == 0) close_deadline_.cancel();
}

void ListenSession::shut_down() {
  net::post(listener_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (!self->accepted_) return;  // on_accept closes it
    self->close_listener({listen_close::server_stopping, "the server is shutting down"});
  });
}

}  // namespace vapidash::server
