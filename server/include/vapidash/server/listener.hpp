#pragma once

#include <memory>
#include <string>
#include <vector>

#include "vapidash/net/net.hpp"
#include "vapidash/server/session_context.hpp"

namespace vapidash::server {

// Accepts connections and starts an HttpSession for each, on its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens at once, on the first of `candidates` that works (a host name's addresses), so a taken
  // port fails here and port 0 is resolved before run(). Throws vapidash::error naming `name` otherwise.
  Listener(net::io_context& ioc, const std::vector<tcp::endpoint>& candidates, const std::string& name,
           SessionContext& context);

  void run();
  void stop();
  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  beast::error_code listen_on(const tcp::endpoint& endpoint);
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  SessionContext& context_;
};

}  // namespace vapidash::server
