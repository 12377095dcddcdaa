#pragma once

#include "vapidash/server/app_context.hpp"
#include "vapidash/server/router.hpp"
#include "vapidash/server/server_options.hpp"
#include "vapidash/server/session_registry.hpp"

namespace vapidash::server {

// What every connection shares. Owned by the Server; outlives every session.
struct SessionContext {
  const Router& router;
  AppContext& app;
  const ServerOptions& options;
  SessionRegistry& registry;
};

}  // namespace vapidash::server
