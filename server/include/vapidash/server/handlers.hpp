#pragma once

#include "vapidash/server/app_context.hpp"
#include "vapidash/server/router.hpp"

namespace vapidash::server {

// GET /api/{client_id}/calls
void list_calls(AppContext& app, const RouteContext& ctx, Respond respond);

// GET /api/{client_id}/calls/{call_id}
void call_detail(AppContext& app, const RouteContext& ctx, Respond respond);

// POST /api/debug/create-test-call/{client_id}
void create_test_call(AppContext& app, const RouteContext& ctx, Respond respond);

// POST /api/debug/log-status-event/{client_id}/{call_id}
void log_status_event(AppContext& app, const RouteContext& ctx, Respond respond);

// GET /api/debug/status-events/{client_id}/{call_id}
void list_status_events(AppContext& app, const RouteContext& ctx, Respond respond);

// PATCH /api/{client_id}/calls/{call_id}: notes, disposition, tags.
void annotate_call(AppContext& app, const RouteContext& ctx, Respond respond);

// POST /api/{client_id}/calls/{call_id}/control: one of VAPI's control bodies, forwarded to the call's
// controlUrl and recorded on its timeline.
void control_call(AppContext& app, const RouteContext& ctx, Respond respond);

// POST /api/{client_id}/calls/{call_id}/force-transfer: the original server's transfer, as a control.
void force_transfer(AppContext& app, const RouteContext& ctx, Respond respond);

// POST /webhooks/vapi/{client_id}
void vapi_webhook(AppContext& app, const RouteContext& ctx, Respond respond);

// Throws access_denied unless the request carries a token that may read the route's {client_id}; returns
// who it reads as.
Reader require_tenant_access(const AppContext& app, const RouteContext& ctx);

// Admission of GET /ws/dashboard[?client_id=X][&token=T]; throws invalid_input or access_denied.
FeedScope admit_feed(const AppContext& app, const RouteContext& ctx);

// Every route of the server, bound to `app`.
Router make_router(AppContext& app);

}  // namespace vapidash::server
