#pragma once

#include "server/app_context.hpp"
#include "server/router.hpp"
#include "server/server_options.hpp"
#include "server/session_registry.hpp"

namespace vapidash::server {

// What every connection shares. Owned by the Server; outlives every session.
struct SessionContext {
  const Router& router;
  AppContext& app;
  const ServerOptions& options;
  SessionRegistry& registry;
};

}  // namespace vapidash::server
