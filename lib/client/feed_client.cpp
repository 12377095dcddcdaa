#include "vapidash/client/feed_client.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "vapidash/client/server_error.hpp"
#include "vapidash/error.hpp"

namespace vapidash {

std::string dashboard_feed_target(const std::optional<std::string>& client_id, bool events,
                                  const std::optional<std::string>& token) {
  std::string target = "/ws/dashboard";
  char separator = '?';
  const auto events_value = events ? std::optional<std::string>("1") : std::nullopt;
  for (const auto& [name, value] :
       {std::pair{"client_id", client_id}, std::pair{"events", events_value}, std::pair{"token", token}}) {
    if (!value) continue;
    target +=
        separator + std::string(name) + "=" + boost::urls::encode(*value, boost::urls::unreserved_chars);
    separator = '&';
  }
  return target;
}

std::string listen_target(const std::string& client_id, const std::string& call_id,
                          const std::optional<std::string>& token) {
  const auto encoded = [](const std::string& value) {
    return boost::urls::encode(value, boost::urls::unreserved_chars);
  };
  auto target = "/ws/listen/" + encoded(client_id) + "/" + encoded(call_id);
  if (token) target += "?token=" + encoded(*token);
  return target;
}

FeedClient::FeedClient(ServerUrl server, std::string target, std::chrono::milliseconds timeout,
                       const TlsOptions& tls)
    : server_(std::move(server)), target_(std::move(target)), timeout_(timeout), ws_(ioc_, server_, tls) {}

FeedClient::~FeedClient() {
  beast::error_code ignored;
  ws_.next_layer().tcp().socket().close(ignored);
}

std::string FeedClient::feed_url() const {
  return server_.url() + target_.substr(0, target_.find('?'));
}

void FeedClient::connect() {
  auto& stream = ws_.next_layer();
  stream.connect(timeout_);
  beast::error_code ec;
  websocket::response_type response;
  stream.tcp().expires_after(timeout_);
  ws_.async_handshake(response, server_.host_header(), server_.target(target_),
                      [&](beast::error_code e) { ec = e; });
  ioc_.restart();
  ioc_.run();
  if (ec && response.result_int() != 0 && response.result() != http::status::switching_protocols) {
    throw server_error(response.result_int(), answer_body(response.body()));  // the server said no
  }
  if (ec) throw connection_error("cannot open the feed " + feed_url() + ": " + ec.message());
  // The handshake's deadline must not cut an idle feed: from here the WebSocket layer owns timeouts.
  stream.tcp().expires_never();
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::pong) ++pongs_;
  });
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
}

void FeedClient::start_read() {
  read_result_.reset();
  read_pending_ = true;
  ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
    read_pending_ = false;
    read_result_ = ec;
  });
}

template <class Done>
void FeedClient::run_until(Done done, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  ioc_.restart();
  while (!done() && ioc_.run_one_until(deadline) > 0) {
  }
}

// The completed read's message; throws when the read ended the feed instead.
FeedMessage FeedClient::take_message() {
  const auto ec = *read_result_;
  read_result_.reset();
  if (ec) throw connection_error("the feed closed: " + ec.message());
  FeedMessage message{beast::buffers_to_string(buffer_.data()), ws_.got_binary()};
  buffer_.consume(buffer_.size());
  return message;
}

std::optional<std::string> FeedClient::read(std::chrono::milliseconds wait) {
  auto message = read_message(wait);
  if (!message) return std::nullopt;
  return std::move(message->data);
}

// The message and the result live with the handler: a write that times out may still complete later.
void FeedClient::write(std::string_view data, bool binary) {
  auto message = std::make_shared<std::string>(data);
  auto written = std::make_shared<std::optional<beast::error_code>>();
  ws_.binary(binary);
  ws_.async_write(net::buffer(*message),
                  [message, written](beast::error_code e, std::size_t) { *written = e; });
  run_until([&] { return written->has_value(); }, timeout_);
  if (!written->has_value()) throw connection_error("cannot send on the feed: it took no data in time");
  if (**written) throw connection_error("cannot send on the feed: " + (*written)->message());
}

std::optional<FeedMessage> FeedClient::read_message(std::chrono::milliseconds wait) {
  if (!arrived_during_ping_.empty()) {
    auto message = std::move(arrived_during_ping_.front());
    arrived_during_ping_.pop_front();
    return message;
  }
  if (!read_pending_ && !read_result_) start_read();
  run_until([this] { return read_result_.has_value(); }, wait);
  if (!read_result_) return std::nullopt;
  return take_message();
}

// Beast sees a pong only while a read is pending, so this reads, keeping any message that comes first.
void FeedClient::ping() {
  const auto answered = pongs_ + 1;
  auto sent = std::make_shared<std::optional<beast::error_code>>();
  ws_.async_ping({}, [sent](beast::error_code e) { *sent = e; });
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (!(sent->has_value() && pongs_ >= answered)) {
    if (sent->has_value() && **sent) throw connection_error("cannot ping the feed: " + (*sent)->message());
    if (!read_pending_ && !read_result_) start_read();
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0))
      throw connection_error("the feed did not answer a ping in time");
    run_until([&] { return (sent->has_value() && pongs_ >= answered) || read_result_.has_value(); }, left);
    if (read_result_) arrived_during_ping_.push_back(take_message());
  }
}

void FeedClient::send(const std::string& text) {
  auto sent = std::make_shared<std::optional<beast::error_code>>();
  auto message = std::make_shared<std::string>(text);
  ws_.text(true);
  ws_.async_write(net::buffer(*message), [sent, message](beast::error_code e, std::size_t) { *sent = e; });
  run_until([&] { return sent->has_value(); }, timeout_);
  if (!sent->has_value()) throw connection_error("cannot send on the feed: no progress in time");
  if (**sent) throw connection_error("cannot send on the feed: " + (*sent)->message());
}

void FeedClient::close() {
  if (!ws_.is_open()) return;
  bool closed = false;
  ws_.async_close(websocket::close_code::normal, [&](beast::error_code) { closed = true; });
  run_until([&] { return closed; }, timeout_);
}

}  // namespace vapidash
