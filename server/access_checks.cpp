#include "vapidash/error.hpp"
#include "vapidash/model/identifier.hpp"
#include "vapidash/server/handlers.hpp"
#include "vapidash/server/request_fields.hpp"

namespace vapidash::server {

namespace {

[[noreturn]] void deny_reader(const std::optional<std::string>& client_id, bool had_token) {
  const std::string what = client_id ? "tenant " + *client_id + "'s dashboard token" : "the admin token";
  throw access_denied(401, "unauthorized",
                      (had_token ? "the token is not valid here: this needs " : "this needs ") + what +
                          ", sent as Authorization: Bearer <token> (or ?token= on the WebSocket feed)");
}

// ?events=1 (or true) subscribes to timeline events as well; 0, false or no parameter keeps the plain feed.
bool events_param(const RouteContext& ctx) {
  const auto value = query_param(ctx.url, "events");
  if (!value || *value == "0" || *value == "false") return false;
  if (*value == "1" || *value == "true") return true;
  throw invalid_input("invalid_field", "\"events\" must be 1 or 0, got \"" + *value + "\"");
}

}  // namespace

Reader require_tenant_access(const AppContext& app, const RouteContext& ctx) {
  const auto client_id = std::optional<std::string>(ctx.param("client_id"));
  const auto token = bearer_token(header(ctx.request, "authorization"));
  const auto reader = reader_of(app.access, client_id, token);
  if (!reader) deny_reader(client_id, token.has_value());
  return *reader;
}

// Browsers cannot set headers on a WebSocket, so the token may also come as ?token=.
void require_upgrade_reader(const AppContext& app, const std::optional<std::string>& client_id,
                            const RouteContext& ctx) {
  auto token = bearer_token(header(ctx.request, "authorization"));
  if (!token) token = query_param(ctx.url, "token");
  if (!may_read(app.access, client_id, token)) deny_reader(client_id, token.has_value());
}

FeedScope admit_feed(const AppContext& app, const RouteContext& ctx) {
  auto client_id = query_param(ctx.url, "client_id");
  if (client_id) require_identifier("client_id", *client_id);
  const bool events = events_param(ctx);
  require_upgrade_reader(app, client_id, ctx);
  if (!app.store.announcing()) {
    throw store_unavailable("the database's change stream is down, so a feed opened now would miss changes");
  }
  return FeedScope{std::move(client_id), events};
}

}  // namespace vapidash::server
