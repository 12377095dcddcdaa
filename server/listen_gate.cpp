#include "vapidash/error.hpp"
#include "vapidash/server/handlers.hpp"

namespace vapidash::server {

namespace {

// The listen URL is a capability: no refusal below repeats it.
std::variant<ListenUpstream, ListenRefusal> listen_outcome(AppContext& app, const std::string& client_id,
                                                           const std::string& call_id) {
  const auto call = app.store.find_call(client_id, call_id);
  if (!call) return ListenRefusal{listen_close::unknown_call, "the tenant has no such call"};
  if (call->status == "ended") return ListenRefusal{listen_close::call_ended, "the call has ended"};
  if (!call->listen_url) {
    return ListenRefusal{listen_close::no_listen_url,
                         "the call has no listen URL (VAPI sends one as call.monitor.listenUrl)"};
  }
  std::optional<WebSocketUrl> url;
  try {
    url = parse_websocket_url(*call->listen_url);
  } catch (const invalid_input&) {
    return ListenRefusal{listen_close::no_listen_url, "the call's listen URL is not a ws:// or wss:// URL"};
  }
  auto seat = app.listen.take_seat(client_id, call_id);
  if (auto* refusal = std::get_if<ListenRefusal>(&seat)) return std::move(*refusal);
  return ListenUpstream{std::move(*url), std::move(std::get<ListenSeat>(seat))};
}

}  // namespace

ListenScope admit_listen(AppContext& app, const RouteContext& ctx) {
  const auto& client_id = ctx.param("client_id");
  const auto& call_id = ctx.param("call_id");
  require_upgrade_reader(app, client_id, ctx);
  return ListenScope{client_id, call_id, listen_outcome(app, client_id, call_id)};
}

}  // namespace vapidash::server
