#pragma once

#include "vapidash/auth/access.hpp"
#include "vapidash/server/broadcast_hub.hpp"
#include "vapidash/server/control_forwarder.hpp"
#include "vapidash/server/listen_relays.hpp"
#include "vapidash/server/metrics.hpp"
#include "vapidash/store/store.hpp"

namespace vapidash::server {

// What handlers act on. Owned by the Server and its creator; outlives every session.
struct AppContext {
  Store& store;
  BroadcastHub& hub;
  const AccessConfig& access;
  Metrics& metrics;
  ControlForwarder& control;
  ListenRelays& listen;
  PayloadForm payloads = PayloadForm::compact;  // the form timeline entries keep webhook messages in
};

}  // namespace vapidash::server
