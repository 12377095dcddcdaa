#pragma once

#include "server/app_context.hpp"
#include "server/router.hpp"

namespace vapidash::server {

// GET /api/{client_id}/calls
void list_calls(AppContext& app, const RouteContext& ctx, Respond respond);

// POST /api/debug/create-test-call/{client_id}
void create_test_call(AppContext& app, const RouteContext& ctx, Respond respond);

// POST /api/debug/log-status-event/{client_id}/{call_id}
void log_status_event(AppContext& app, const RouteContext& ctx, Respond respond);

// GET /api/debug/status-events/{client_id}/{call_id}
void list_status_events(AppContext& app, const RouteContext& ctx, Respond respond);

// Every route of the server, bound to `app`.
Router make_router(AppContext& app);

}  // namespace vapidash::server
