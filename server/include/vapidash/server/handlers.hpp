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

// Throws access_denied unless the upgrade carries a token (Authorization: Bearer, else ?token=) that may read
// `client_id`'s calls, or every tenant's when it is nullopt.
void require_upgrade_reader(const AppContext& app, const std::optional<std::string>& client_id,
                            const RouteContext& ctx);

// Admission of GET /ws/dashboard[?client_id=X][&token=T]; throws invalid_input or access_denied.
FeedScope admit_feed(const AppContext& app, const RouteContext& ctx);

// Admission of GET /ws/listen/{client_id}/{call_id}[?token=T]: throws access_denied like admit_feed for the
// tenant; otherwise the call's upstream and a listener's seat, or why the relay closes at once.
ListenScope admit_listen(AppContext& app, const RouteContext& ctx);

// Every route of the server, bound to `app`.
Router make_router(AppContext& app);

}  // namespace vapidash::server
