#include "vapidash/server/handlers.hpp"
#include "vapidash/server/list_pages.hpp"
#include "vapidash/server/responses.hpp"
#include "vapidash/server/store_responses.hpp"
#include "vapidash/wire/call_json.hpp"
#include "vapidash/wire/debug_requests.hpp"

namespace vapidash::server {

namespace {

json created_body(const CallUpdateOutcome& outcome) {
  return json{{"ok", true},
              {"call_id", outcome.call.id},
              {"updated", outcome.updated},
              {"status_event_id", outcome.status_event_id}};
}

json logged_body(const StatusEvent& event) {
  return json{{"ok", true}, {"event_id", event.id}};
}

// What a debug update's call-upsert names as its cause.
constexpr const char* debug_cause = "debug";

}  // namespace

void create_test_call(AppContext& app, const RouteContext& ctx, Respond respond) {
  require_tenant_access(app, ctx);
  auto update = parse_create_test_call(ctx.param("client_id"), ctx.request.body());
  store_call_update(app, std::move(update), debug_cause, created_body, std::move(respond));
}

void log_status_event(AppContext& app, const RouteContext& ctx, Respond respond) {
  require_tenant_access(app, ctx);
  auto record = parse_log_status_event(ctx.param("client_id"), ctx.param("call_id"), ctx.request.body());
  store_event(app, std::move(record), logged_body, std::move(respond));
}

void list_status_events(AppContext& app, const RouteContext& ctx, Respond respond) {
  require_tenant_access(app, ctx);
  respond(streamed_response(
      http::status::ok, "application/json",
      json_array_body(event_pages(app.store, EventQuery{ctx.param("client_id"), ctx.param("call_id")}))));
}

}  // namespace vapidash::server
