#include "vapidash/server/server.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "vapidash/error.hpp"
#include "vapidash/server/handlers.hpp"
#include "vapidash/server/listener.hpp"
#include "vapidash/server/log.hpp"
#include "vapidash/server/retention.hpp"

namespace vapidash::server {

namespace {
unsigned thread_count(unsigned requested) {
  if (requested > 0) return requested;
  return std::max(1U, std::thread::hardware_concurrency());
}

// Where to listen: an IP address as given, a host name's addresses (IPv4 first: the default address and the
// clients' default server are 127.0.0.1, so "localhost" should mean that where both exist).
std::vector<tcp::endpoint> listen_addresses(net::io_context& ioc, const Endpoint& listen) {
  beast::error_code ec;
  const auto address = net::ip::make_address(listen.host, ec);
  if (!ec) return {tcp::endpoint(address, listen.port)};
  tcp::resolver resolver(ioc);
  const auto results =
      resolver.resolve(listen.host, std::to_string(listen.port), tcp::resolver::numeric_service, ec);
  if (ec) {
    throw error("cannot listen on " + listen.host + ":" + std::to_string(listen.port) +
                ": the host name does not resolve (" + ec.message() + ")");
  }
  std::vector<tcp::endpoint> endpoints;
  for (const auto& result : results) {
    if (std::find(endpoints.begin(), endpoints.end(), result.endpoint()) == endpoints.end())
      endpoints.push_back(result.endpoint());
  }
  std::stable_partition(endpoints.begin(), endpoints.end(),
                        [](const tcp::endpoint& endpoint) { return endpoint.address().is_v4(); });
  return endpoints;
}

// Waits for `threads` to finish; past `grace`, stops `ioc` so they return even if work is stuck.
void join_within(std::vector<std::thread>& threads, net::io_context& ioc, std::chrono::seconds grace) {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock lock(mutex);
    if (!finished.wait_for(lock, grace, [&] { return done; })) {
      log().warn("shutdown: in-flight work did not finish within {}s; stopping anyway", grace.count());
      ioc.stop();
    }
  });
  for (auto& thread : threads) thread.join();
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  finished.notify_one();
  watchdog.join();
}
}  // namespace

Server::Server(ServerOptions options, Store& store, const AccessConfig& access, Metrics& metrics)
    : options_(std::move(options)),
      store_(store),
      metrics_(metrics),
      control_(options_.upstream_tls, options_.control_timeout),
      listen_relays_(options_.max_listeners_per_call, options_.max_listeners,
                     client_tls_context(options_.upstream_tls), metrics_),
      app_{store_, hub_, access, metrics_, control_, listen_relays_, options_.payloads},
      router_(make_router(app_)) {
  router_.set_cors(options_.cors);
  store_.announce_to(&announcer_);
}

Server::~Server() {
  stop();
  store_.announce_to(nullptr);
}

void Server::start() {
  const auto& listen = options_.listen;
  listener_ = std::make_shared<Listener>(ioc_, listen_addresses(ioc_, listen),
                                         listen.host + ":" + std::to_string(listen.port), context_);
  work_.emplace(ioc_.get_executor());
  listener_->run();
  if (options_.retention) {
    retention_ = std::make_shared<Retention>(ioc_, store_, *options_.retention);
    retention_->start();
  }
  const auto count = thread_count(options_.threads);
  for (unsigned i = 0; i < count; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

void Server::stop() {
  if (threads_.empty()) return;
  listener_->stop();
  if (retention_) retention_->stop();
  sessions_.shut_down_all();
  work_.reset();
  join_within(threads_, ioc_, options_.shutdown_grace);
  threads_.clear();
  control_.stop();  // its answers may still log to the store
  store_.close();
}

Endpoint Server::local_endpoint() const {
  const auto endpoint = listener_->local_endpoint();
  return Endpoint{endpoint.address().to_string(), endpoint.port()};
}

}  // namespace vapidash::server
