#include "vapidash/load/load_connection.hpp"

#include "vapidash/net/client_stream.hpp"

namespace vapidash {

LoadConnection::LoadConnection(net::io_context& ioc, const std::vector<tcp::endpoint>& endpoints,
                               std::chrono::milliseconds timeout)
    : stream_(ioc), endpoints_(endpoints), timeout_(timeout) {}

void LoadConnection::exchange(Sink& sink) {
  sink_ = &sink;
  stream_.expires_after(timeout_);
  // A request is never sent twice, so one must not go out on a connection the server has closed while idle.
  if (open_ && went_stale(stream_.socket())) close();
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
  if (ec || !parser_ || !parser_->keep_alive()) close();
  auto* sink = sink_;
  sink_ = nullptr;
  sink->answered(*this, ec, status);
}

void LoadConnection::close() {
  beast::error_code ignored;
  stream_.socket().close(ignored);
  buffer_.clear();
  open_ = false;
}

}  // namespace vapidash
