#include "vapidash/server/dashboard_page.hpp"
#include "vapidash/server/handlers.hpp"
#include "vapidash/server/responses.hpp"

namespace vapidash::server {

namespace {

Handler bind(AppContext& app, void (*handler)(AppContext&, const RouteContext&, Respond)) {
  return [&app, handler](const RouteContext& ctx, Respond respond) { handler(app, ctx, std::move(respond)); };
}

// 200 {"ok": true} while the store can serve; 503 naming the part that cannot (a shared database that is
// down, its change stream), so a load balancer takes the server out of rotation.
Handler healthz(AppContext& app) {
  return [&app](const RouteContext&, Respond respond) {
    const auto health = app.store.health();
    json body{{"ok", health.ok}};
    for (const auto& [part, state] : health.parts) body[part] = state;
    respond(json_response(health.ok ? http::status::ok : http::status::service_unavailable, body));
  };
}

void index_page(const RouteContext&, Respond respond) {
  respond(text_response(http::status::ok, "text/html; charset=utf-8", std::string(dashboard_page())));
}

std::vector<StoreFigure> store_figures(AppContext& app) {
  auto figures = app.store.figures();
  figures.push_back({"vapidash_dashboards_restarted_total",
                     "Feeds closed with 1012 because they may have missed a change (a lost change stream).",
                     "counter", static_cast<std::int64_t>(app.hub.restarts())});
  return figures;
}

Handler metrics_page(AppContext& app) {
  return [&app](const RouteContext&, Respond respond) {
    respond(text_response(
        http::status::ok, "text/plain; version=0.0.4",
        app.metrics.render(app.hub.connected(), app.hub.dropped()) + render_figures(store_figures(app))));
  };
}

}  // namespace

Router make_router(AppContext& app) {
  Router router;
  router.set_observer([&metrics = app.metrics](const std::string& route, unsigned status) {
    metrics.count_request(route, status);
  });
  router.add(http::verb::get, "/", index_page);
  router.add(http::verb::get, "/healthz", healthz(app));
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
