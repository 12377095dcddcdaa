#include "vapidash/load/load_feed.hpp"

namespace vapidash {

LoadFeed::LoadFeed(net::io_context& ioc, const std::vector<tcp::endpoint>& endpoints, std::string host,
                   std::string target, std::size_t index)
    : ws_(ioc), endpoints_(endpoints), host_(std::move(host)), target_(std::move(target)), index_(index) {}

void LoadFeed::open(std::chrono::milliseconds timeout, Sink& sink, bool reading,
                    std::function<void(const std::string& error)> opened) {
  sink_ = &sink;
  auto& socket_layer = beast::get_lowest_layer(ws_);
  socket_layer.expires_after(timeout);
  auto connected = [this, reading, timeout, opened = std::move(opened)](beast::error_code ec) {
    if (ec) return opened("cannot connect: " + ec.message());
    beast::get_lowest_layer(ws_).expires_after(timeout);
    ws_.async_handshake(host_, target_, [this, reading, opened](beast::error_code e) {
      if (e) return opened("the feed refused the upgrade: " + e.message());
      beast::get_lowest_layer(ws_).expires_never();
      ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
      opened("");
      if (reading) read();
    });
  };
  if (reading) {
    socket_layer.async_connect(endpoints_,
                               [connected](beast::error_code ec, const tcp::endpoint&) { connected(ec); });
    return;
  }
  // A dashboard that stops reading, like a stuck browser tab, with a small receive window: the server's own
  // queue fills instead of the kernels' buffers, as it would behind a slow network.
  beast::error_code ec;
  socket_layer.socket().open(endpoints_.front().protocol(), ec);
  if (!ec) socket_layer.socket().set_option(net::socket_base::receive_buffer_size(4096), ec);
  if (ec) return connected(ec);
  socket_layer.async_connect(endpoints_.front(), connected);
}

void LoadFeed::read() {
  ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
    if (ec) {
      if (!closing_) sink_->ended(*this, close_text().empty() ? ec.message() : close_text());
      return;
    }
    const auto at = clock::now();
    const auto data = buffer_.cdata();
    sink_->received(*this, std::string_view(static_cast<const char*>(data.data()), data.size()), at);
    buffer_.consume(buffer_.size());
    read();
  });
}

std::string LoadFeed::close_text() const {
  const auto& reason = ws_.reason();
  if (reason.code == websocket::close_code::none) return "";
  return "closed by the server with " + std::to_string(static_cast<int>(reason.code)) +
         (reason.reason.empty() ? "" : " (" + std::string(reason.reason.c_str()) + ")");
}

void LoadFeed::close() {
  closing_ = true;
  if (!ws_.is_open()) return;
  ws_.async_close(websocket::close_code::normal, [](beast::error_code) {});
}

}  // namespace vapidash
