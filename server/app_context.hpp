#pragma once

#include "server/broadcast_hub.hpp"
#include "store/store.hpp"

namespace vapidash::server {

// What handlers act on. Owned by the Server; outlives every session.
struct AppContext {
  Store& store;
  BroadcastHub& hub;
};

}  // namespace vapidash::server
