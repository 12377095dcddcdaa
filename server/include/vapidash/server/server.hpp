#pragma once

#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "vapidash/net/net.hpp"
#include "vapidash/server/app_context.hpp"
#include "vapidash/server/broadcast_hub.hpp"
#include "vapidash/server/router.hpp"
#include "vapidash/server/server_options.hpp"
#include "vapidash/server/session_context.hpp"
#include "vapidash/server/session_registry.hpp"
#include "vapidash/server/store_responses.hpp"
#include "vapidash/store/store.hpp"

namespace vapidash::server {

class Listener;
class Retention;

// The HTTP + WebSocket server over one Store. start() binds and runs the I/O threads; stop() shuts down
// gracefully: stop accepting, close feeds with 1001, finish in-flight requests, then flush and close the
// store.
class Server {
 public:
  // `access` and `metrics` must outlive the server; `metrics` may also observe the store's commits.
  Server(ServerOptions options, Store& store, const AccessConfig& access, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start();  // throws vapidash::error when the address cannot be resolved or bound
  void stop();   // idempotent; blocks until the threads and the store are done

  Endpoint local_endpoint() const;  // the bound address; the real port when listening on port 0
  BroadcastHub& hub() noexcept { return hub_; }

 private:
  ServerOptions options_;
  Store& store_;
  BroadcastHub hub_;
  HubAnnouncer announcer_{hub_};
  Metrics& metrics_;
  ControlForwarder control_;
  ListenRelays listen_relays_;
  AppContext app_;
  Router router_;
  SessionRegistry sessions_;
  // Destroyed before the members above: pending handlers hold sessions that refer to them.
  net::io_context ioc_;
  SessionContext context_{router_, app_, options_, sessions_};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::shared_ptr<Listener> listener_;
  std::shared_ptr<Retention> retention_;
  std::vector<std::thread> threads_;
};

}  // namespace vapidash::server
