#include "vapidash/server/server.hpp"

#include <condition_variable>
#include <mutex>

#include "vapidash/server/handlers.hpp"
#include "vapidash/server/listener.hpp"
#include "vapidash/server/log.hpp"

namespace vapidash::server {

namespace {
unsigned thread_count(unsigned requested) {
  if (requested > 0) return requested;
  return std::max(1U, std::thread::hardware_concurrency());
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
      app_{store_, hub_, access, metrics_},
      router_(make_router(app_)) {
  router_.set_cors(options_.cors);
}

Server::~Server() {
  stop();
}

void Server::start() {
  const auto address = net::ip::make_address(options_.listen.host);
  listener_ = std::make_shared<Listener>(ioc_, tcp::endpoint(address, options_.listen.port), context_);
  work_.emplace(ioc_.get_executor());
  listener_->run();
  const auto count = thread_count(options_.threads);
  for (unsigned i = 0; i < count; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

void Server::stop() {
  if (threads_.empty()) return;
  listener_->stop();
  sessions_.shut_down_all();
  work_.reset();
  join_within(threads_, ioc_, options_.shutdown_grace);
  threads_.clear();
  store_.close();
}

Endpoint Server::local_endpoint() const {
  const auto endpoint = listener_->local_endpoint();
  return Endpoint{endpoint.address().to_string(), endpoint.port()};
}

}  // namespace vapidash::server
