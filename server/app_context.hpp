#pragma once

#include "auth/access.hpp"
#include "server/broadcast_hub.hpp"
#include "server/metrics.hpp"
#include "store/store.hpp"

namespace vapidash::server {

// What handlers act on. Owned by the Server and its creator; outlives every session.
struct AppContext {
  Store& store;
  BroadcastHub& hub;
  const AccessConfig& access;
  Metrics& metrics;
};

}  // namespace vapidash::server
