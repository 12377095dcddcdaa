#pragma once

#include <memory>

#include "server/app_context.hpp"
#include "server/router.hpp"
#include "server/server_options.hpp"
#include "server/session_registry.hpp"

namespace vapidash::server {

// Accepts connections and starts an HttpSession for each, on its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens at once, so a taken port fails here and port 0 is resolved before run().
  Listener(net::io_context& ioc, const tcp::endpoint& endpoint, const Router& router, AppContext& app,
           const ServerOptions& options, SessionRegistry& registry);

  void run();
  void stop();
  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  const Router& router_;
  AppContext& app_;
  const ServerOptions& options_;
  SessionRegistry& registry_;
};

}  // namespace vapidash::server
