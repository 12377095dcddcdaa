#pragma once

#include <memory>

#include "vapidash/net/net.hpp"
#include "vapidash/server/session_context.hpp"

namespace vapidash::server {

// Accepts connections and starts an HttpSession for each, on its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens at once, so a taken port fails here and port 0 is resolved before run().
  Listener(net::io_context& ioc, const tcp::endpoint& endpoint, SessionContext& context);

  void run();
  void stop();
  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  SessionContext& context_;
};

}  // namespace vapidash::server
