#include "listen_session.hpp"

#include "vapidash/simulate/audio.hpp"
#include "vapidash/simulate/simulator.hpp"
#include "vapidash/wire/error_body.hpp"

namespace vapidash {

namespace {

constexpr std::size_t max_queued_frames = 10 * 1000 / audio_frame_ms;
constexpr std::size_t max_request_body = 64 * 1024;
constexpr auto request_timeout = std::chrono::seconds(30);

struct CallTarget {
  std::string call_id;
  std::string what;  // "listen", "control"
};

std::optional<CallTarget> call_target(std::string_view target) {
  target = target.substr(0, target.find('?'));
  constexpr std::string_view prefix = "/calls/";
  if (target.substr(0, prefix.size()) != prefix) return std::nullopt;
  target.remove_prefix(prefix.size());
  const auto slash = target.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  CallTarget parsed{std::string(target.substr(0, slash)), std::string(target.substr(slash + 1))};
  if (parsed.what != "listen" && parsed.what != "control") return std::nullopt;
  return parsed;
}

http::response<http::string_body> json_response(unsigned status, const json& body, unsigned version) {
  http::response<http::string_body> response{static_cast<http::status>(status), version};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::server, "vapidash simulate");
  response.keep_alive(false);  // one request per connection: nothing lingers when the simulator stops
  response.body() = dump_json(body);
  response.prepare_payload();
  return response;
}

unsigned refusal_status(const std::string& code) {
  return code == "not_found" ? 404 : 409;
}

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, CallDirectory& calls) : stream_(std::move(socket)), calls_(calls) {
    parser_.body_limit(max_request_body);
  }

  void run() {
    stream_.expires_after(request_timeout);
    http::async_read(stream_, buffer_, parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (!ec) self->handle(self->parser_.release());
                     });
  }

 private:
  void handle(http::request<http::string_body> request) {
    const auto target = call_target(request.target());
    if (!target)
      return answer(404,
                    error_body("not_found", "no route " + std::string(request.target()) +
                                                ": the simulator serves /calls/{callId}/listen "
                                                "and POST /calls/{callId}/control"),
                    request.version());
    if (target->what == "listen") return listen(*target, std::move(request));
    if (request.method() != http::verb::post) {
      return answer(405, error_body("method_not_allowed", "a control URL takes POST"), request.version());
    }
    if (calls_.control_delay().count() == 0) return control(target->call_id, request);
    auto delay = std::make_shared<net::steady_timer>(stream_.get_executor(), calls_.control_delay());
    delay->async_wait([self = shared_from_this(), delay, call_id = target->call_id,
                       request = std::move(request)](beast::error_code ec) {
      if (!ec) self->control(call_id, request);
    });
  }

  void control(const std::string& call_id, const http::request<http::string_body>& request) {
    const auto reply = calls_.control(call_id, request.body());
    answer(reply.status, reply.body, request.version());
  }

  void listen(const CallTarget& target, http::request<http::string_body> request) {
    if (!websocket::is_upgrade(request)) {
      return answer(
          426, error_body("upgrade_required", "a listen URL is a WebSocket: connect with a WebSocket client"),
          request.version());
    }
    if (const auto refusal = calls_.listen_refusal(target.call_id)) {
      return answer(
          refusal_status(*refusal),
          error_body(*refusal,
                     "call " + target.call_id +
                         (*refusal == "not_found" ? " is not one of this simulator's calls" : " has ended")),
          request.version());
    }
    stream_.expires_never();
    auto session = std::make_shared<ListenSession>(std::move(stream_), target.call_id, calls_);
    session->accept(std::move(request));
  }

  void answer(unsigned status, const json& body, unsigned version) {
    auto response = std::make_shared<http::response<http::string_body>>(json_response(status, body, version));
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code, std::size_t) {
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                      });
  }

  beast::tcp_stream stream_;
  CallDirectory& calls_;
  beast::flat_buffer buffer_;
  http::request_parser<http::string_body> parser_;
};

}  // namespace

void serve_http(tcp::socket socket, CallDirectory& calls) {
  std::make_shared<HttpSession>(std::move(socket), calls)->run();
}

ListenSession::ListenSession(beast::tcp_stream stream, std::string call_id, CallDirectory& calls)
    : ws_(std::move(stream)), call_id_(std::move(call_id)), calls_(calls) {}

void ListenSession::accept(http::request<http::string_body> request) {
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    self->open_ = true;
    self->send(std::make_shared<const std::string>(dump_json(listen_start_frame(self->call_id_))), true);
    self->read_next();
    self->calls_.add_listener(self->call_id_, self);
  });
}

void ListenSession::send(std::shared_ptr<const std::string> data, bool text) {
  if (!open_ || finishing_) return;
  if (queue_.size() >= max_queued_frames) {
    queue_.clear();
    return finish(websocket::close_code::policy_error);
  }
  queue_.push_back({std::move(data), text});
  if (!writing_) write_next();
}

void ListenSession::finish(websocket::close_code code) {
  if (finishing_) return;
  finishing_ = true;
  close_code_ = code;
  if (open_ && !writing_) write_next();
}

void ListenSession::write_next() {
  if (queue_.empty()) {
    if (finishing_) close();
    return;
  }
  writing_ = true;
  ws_.text(queue_.front().text);
  ws_.async_write(net::buffer(*queue_.front().data),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    self->writing_ = false;
                    if (ec) return;
                    self->queue_.pop_front();
                    self->write_next();
                  });
}

void ListenSession::close() {
  if (closed_) return;
  closed_ = true;
  ws_.async_close(close_code_, [self = shared_from_this()](beast::error_code) {});
}

void ListenSession::read_next() {
  ws_.async_read(incoming_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {
      self->closed_ = true;
      self->calls_.remove_listener(self->call_id_, self.get());
      return;
    }
    self->incoming_.clear();
    self->read_next();
  });
}

}  // namespace vapidash
