#include "vapidash/server/handlers.hpp"
#include "vapidash/server/responses.hpp"
#include "vapidash/wire/call_json.hpp"
#include "vapidash/wire/debug_requests.hpp"

namespace vapidash::server {

void create_test_call(AppContext& app, const RouteContext& ctx, Respond respond) {
  require_tenant_access(app, ctx);
  auto update = parse_create_test_call(ctx.param("client_id"), ctx.request.body());
  app.store.apply(std::move(update), [&hub = app.hub, respond](WriteResult<CallUpdateOutcome> result) {
    const auto* outcome = std::get_if<CallUpdateOutcome>(&result);
    if (outcome == nullptr) return respond(write_failure_response(std::get<WriteFailure>(result)));
    publish_upsert(hub, outcome->call);
    respond(json_response(http::status::ok, json{{"ok", true},
                                                 {"call_id", outcome->call.id},
                                                 {"updated", outcome->updated},
                                                 {"status_event_id", outcome->status_event_id}}));
  });
}

void log_status_event(AppContext& app, const RouteContext& ctx, Respond respond) {
  require_tenant_access(app, ctx);
  auto record = parse_log_status_event(ctx.param("client_id"), ctx.param("call_id"), ctx.request.body());
  app.store.log_event(std::move(record), [respond](WriteResult<std::int64_t> result) {
    const auto* event_id = std::get_if<std::int64_t>(&result);
    if (event_id == nullptr) return respond(write_failure_response(std::get<WriteFailure>(result)));
    respond(json_response(http::status::ok, json{{"ok", true}, {"event_id", *event_id}}));
  });
}

void list_status_events(AppContext& app, const RouteContext& ctx, Respond respond) {
  require_tenant_access(app, ctx);
  respond(json_response(http::status::ok,
                        json(app.store.list_events(ctx.param("client_id"), ctx.param("call_id")))));
}

}  // namespace vapidash::server
