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

// A plain GET of the feed's URL: say how to use it instead of a bare 404.
void feed_without_upgrade(const RouteContext&, Respond respond) {
  respond(error_response(http::status::upgrade_required, "upgrade_required",
                         "/ws/dashboard is a WebSocket feed: connect with a WebSocket client"));
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
  router.set_feed_gate(
      [&app](const Request& request, boost::urls::url_view url) { return admit_feed(app, request, url); });
  router.add(http::verb::get, "/", index_page);
  router.add(http::verb::get, "/healthz", healthz);
  router.add(http::verb::get, "/metrics", metrics_page(app));
  router.add(http::verb::get, "/ws/dashboard", feed_without_upgrade);
  router.add(http::verb::get, "/api/{client_id}/calls", bind(app, list_calls));
  router.add(http::verb::get, "/api/{client_id}/calls/{call_id}", bind(app, call_detail));
  router.add(http::verb::post, "/webhooks/vapi/{client_id}", bind(app, vapi_webhook));
  router.add(http::verb::post, "/api/debug/create-test-call/{client_id}", bind(app, create_test_call));
  router.add(http::verb::post, "/api/debug/log-status-event/{client_id}/{call_id}",
             bind(app, log_status_event));
  router.add(http::verb::get, "/api/debug/status-events/{client_id}/{call_id}",
             bind(app, list_status_events));
  return router;
}

}  // namespace vapidash::server
