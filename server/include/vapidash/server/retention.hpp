#pragma once

#include <chrono>
#include <memory>

#include "vapidash/net/net.hpp"
#include "vapidash/server/server_options.hpp"
#include "vapidash/store/store.hpp"

namespace vapidash::server {

// `serve --retain`: a pass every interval removes the calls that ended before now - keep, in small steps
// queued with the writes, so acknowledged writes never wait behind a long delete.
class Retention : public std::enable_shared_from_this<Retention> {
 public:
  Retention(net::io_context& ioc, Store& store, RetentionOptions options);

  void start();
  void stop();  // no step starts after this; one already queued in the store completes

 private:
  void start_pass();
  void step();
  void on_step(WriteResult<PruneCounts> result);
  void wait(std::chrono::milliseconds delay, void (Retention::*next)());

  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer timer_;
  Store& store_;
  RetentionOptions options_;
  PruneRequest request_;
  PruneCounts pass_;
  bool stopped_ = false;
};

}  // namespace vapidash::server
