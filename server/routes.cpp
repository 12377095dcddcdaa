#include "vapidash/server/dashboard_page.hpp"
#include "vapidash/server/handlers.hpp"
#include "vapidash/server/responses.hpp"

namespace vapidash::server {

namespace {

Handler bind(AppContext& app, void (*handler)(AppContext&, const RouteContext&, Respond)) {
  return [&app, handler](const RouteContext& ctx, Respond respond) { handler(app, ctx, std::move(respond)); };
}

void healthz(const RouteContext&, Respond respond) {
  respond(json_response(http::status::ok, json{{"ok", true}}));
}

void index_page(const RouteContext&, Respond respond) {
  respond(text_response(http::status::ok, "text/html; charset=utf-8", std::string(dashboard_page())));
}

Handler metrics_page(AppContext& app) {
  return [&app](const RouteContext&, Respond respond) {
    respond(text_response(http::status::ok, "text/plain; version=0.0.4",
                          app.metrics.render(app.hub.connected(), app.hub.dropped())));
  };
}

}  // namespace

Router make_router(AppContext& app) {
  Router router;
  router.set_observer([&metrics = app.metrics](const std::string& route, unsigned status) {
    metrics.count_request(route, status);
  });
  router.add(http::verb::get, "/", index_page);
  router.add(http::verb::get, "/healthz", healthz);
  router.add(http::verb::get, "/metrics", metrics_page(app));
  router.add_feed("/ws/dashboard", [&app](const RouteContext& ctx) { return admit_feed(app, ctx); });
  router.add_listen("/ws/listen/{client_id}/{call_id}",
                    [&app](const RouteContext& ctx) { return admit_listen(app, ctx); });
  router.add(http::verb::get, "/api/{client_id}/calls", bind(app, list_calls));
  router.add(http::verb::get, "/api/{client_id}/calls/{call_id}", bind(app, call_detail));
  router.add(http::verb::patch, "/api/{client_id}/calls/{call_id}", bind(app, annotate_call));
  router.add(http::verb::post, "/api/{client_id}/calls/{call_id}/control", bind(app, control_call));
  router.add(http::verb::post, "/api/{client_id}/calls/{call_id}/force-transfer", bind(app, force_transfer));
  router.add(http::verb::post, "/webhooks/vapi/{client_id}", bind(app, vapi_webhook));
  router.add(http::verb::post, "/api/debug/create-test-call/{client_id}", bind(app, create_test_call));
  router.add(http::verb::post, "/api/debug/log-status-event/{client_id}/{call_id}",
             bind(app, log_status_event));
  router.add(http::verb::get, "/api/debug/status-events/{client_id}/{call_id}",
             bind(app, list_status_events));
  return router;
}

}  // namespace vapidash::server
