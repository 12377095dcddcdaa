#include "vapidash/server/listener.hpp"

#include "vapidash/error.hpp"
#include "vapidash/server/http_session.hpp"
#include "vapidash/server/log.hpp"

namespace vapidash::server {

Listener::Listener(net::io_context& ioc, const std::vector<tcp::endpoint>& candidates,
                   const std::string& name, SessionContext& context)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), context_(context) {
  beast::error_code ec = net::error::host_not_found;
  for (const auto& endpoint : candidates) {
    ec = listen_on(endpoint);
    if (!ec) return;
  }
  throw error("cannot listen on " + name + ": " + ec.message());
}

beast::error_code Listener::listen_on(const tcp::endpoint& endpoint) {
  beast::error_code ec;
  if (acceptor_.is_open()) acceptor_.close(ec);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  return ec;
}

void Listener::run() {
  do_accept();
}

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    log().warn("accept: {}", ec.message());
  } else {
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<HttpSession>(std::move(socket), context_)->run();
  }
  do_accept();
}

}  // namespace vapidash::server
