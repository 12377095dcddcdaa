#include "vapidash/load/load_connection.hpp"

namespace vapidash {

LoadConnection::LoadConnection(net::io_context& ioc, const std::vector<tcp::endpoint>& endpoints,
                               std::chrono::milliseconds timeout)
    : stream_(ioc), endpoints_(endpoints), timeout_(timeout) {}

void LoadConnection::exchange(Sink& sink) {
  sink_ = &sink;
  stream_.expires_after(timeout_);
  if (open_) return write();
  stream_.async_connect(endpoints_, [this](beast::error_code ec, const tcp::endpoint&) {
    if (ec) return finish(ec, 0);
    open_ = true;
    stream_.socket().set_option(tcp::no_delay(true), ec);
    write();
  });
}

void LoadConnection::write() {
  net::async_write(stream_, net::buffer(request_), [this](beast::error_code ec, std::size_t) {
    if (ec) return finish(ec, 0);
    read();
  });
}

void LoadConnection::read() {
  parser_.emplace(body_);
  parser_->body_limit(boost::none);
  http::async_read(stream_, buffer_, *parser_, [this](beast::error_code ec, std::size_t) {
    if (ec) return finish(ec, 0);
    finish({}, parser_->status());
  });
}

void LoadConnection::finish(beast::error_code ec, unsigned status) {
  if (ec || !parser_ || !parser_->keep_alive()) {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    buffer_.clear();
    open_ = false;
  }
  auto* sink = sink_;
  sink_ = nullptr;
  sink->answered(*this, ec, status);
}

}  // namespace vapidash
