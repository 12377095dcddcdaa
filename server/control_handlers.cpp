#include <algorithm>

#include "vapidash/error.hpp"
#include "vapidash/server/control_forwarder.hpp"
#include "vapidash/server/handlers.hpp"
#include "vapidash/server/responses.hpp"
#include "vapidash/server/store_responses.hpp"
#include "vapidash/vapi/control_request.hpp"
#include "vapidash/wire/error_body.hpp"

namespace vapidash::server {

namespace {

constexpr std::size_t max_echoed_bytes = 2000;

// What the control URL answered, as JSON when it is JSON.
json upstream_body(const UpstreamResponse& response) {
  try {
    return parse_json(response.body);
  } catch (const error&) {
    return response.body.substr(0, max_echoed_bytes);
  }
}

Response failed_answer(const ControlAnswer& answer, std::chrono::milliseconds timeout) {
  using Kind = ControlAnswer::Kind;
  switch (answer.kind) {
    case Kind::timed_out:
      return error_response(http::status::gateway_timeout, "upstream_timeout",
                            "the call's control URL did not answer within " +
                                std::to_string(timeout.count()) +
                                " ms; VAPI may or may not have acted on it: check the call before retrying");
    case Kind::certificate:
      return error_response(http::status::bad_gateway, "upstream_certificate",
                            "the TLS certificate of the call's control URL was refused; serve "
                            "--upstream-cacert FILE trusts a private CA");
    case Kind::unreachable:
      return error_response(http::status::bad_gateway, "upstream_unreachable",
                            "cannot reach the call's control URL: the call may have ended, or this server "
                            "cannot reach VAPI");
    case Kind::answered:
      break;
  }
  const auto status = answer.response.status;
  auto body = error_body("upstream_refused", "VAPI answered " + std::to_string(status) +
                                                 " to the control request; see \"upstream\" for why");
  body["upstream_status"] = status;
  body["upstream"] = upstream_body(answer.response);
  const bool valid_error = status >= 400 && status <= 599;
  return json_response(valid_error ? static_cast<http::status>(status) : http::status::bad_gateway, body);
}

// Who asked for what on which call: the audit trail's entry, once VAPI has answered.
struct ControlAudit {
  std::string client_id;
  std::string call_id;
  std::string by;
  ControlRequest request;

  EventRecord event(unsigned upstream_status) const {
    return EventRecord{client_id, call_id, "control:" + request.action,
                       json{{"by", by}, {"request", request.body}, {"upstream_status", upstream_status}}};
  }
};

void on_answer(AppContext& app, const ControlAnswer& answer, const ControlAudit& audit, Respond respond) {
  const auto status = answer.response.status;
  if (answer.kind != ControlAnswer::Kind::answered || status < 200 || status > 299) {
    return respond(failed_answer(answer, app.control.timeout()));
  }
  auto body = [status, upstream = upstream_body(answer.response)](const StatusEvent& event) {
    return json{{"ok", true}, {"upstream_status", status}, {"upstream", upstream}, {"event_id", event.id}};
  };
  store_event(app, audit.event(status), std::move(body), std::move(respond));
}

// Checks the call can be controlled, then forwards; the timeline records only what VAPI accepted.
void forward_control(AppContext& app, const RouteContext& ctx, Reader reader, ControlRequest request,
                     Respond respond) {
  const auto& client_id = ctx.param("client_id");
  const auto& call_id = ctx.param("call_id");
  const auto call = app.store.find_call(client_id, call_id);
  if (!call) {
    return respond(error_response(http::status::not_found, "not_found",
                                  "tenant " + client_id + " has no call " + call_id));
  }
  if (!call->control_url) {
    return respond(error_response(
        http::status::conflict, "no_control_url",
        "call " + call_id +
            " has no controlUrl: VAPI sends one in call.monitor.controlUrl when the assistant's monitorPlan "
            "enables control (controlEnabled: true)"));
  }
  if (call->status == "ended") {
    return respond(error_response(http::status::conflict, "call_ended",
                                  "call " + call_id + " has ended: there is nothing left to control"));
  }
  auto body = dump_json(request.body);
  ControlAudit audit{client_id, call_id, reader_name(reader, client_id), std::move(request)};
  const bool forwarded =
      app.control.forward(*call->control_url, std::move(body),
                          [&app, audit = std::move(audit), respond](const ControlAnswer& answer) {
                            on_answer(app, answer, audit, respond);
                          });
  if (!forwarded) {
    respond(error_response(http::status::service_unavailable, "busy",
                           "too many control requests are under way; retry in a moment"));
  }
}

}  // namespace

void control_call(AppContext& app, const RouteContext& ctx, Respond respond) {
  const auto reader = require_tenant_access(app, ctx);
  forward_control(app, ctx, reader, parse_control_request(ctx.request.body()), std::move(respond));
}

void force_transfer(AppContext& app, const RouteContext& ctx, Respond respond) {
  const auto reader = require_tenant_access(app, ctx);
  forward_control(app, ctx, reader, parse_force_transfer(ctx.request.body()), std::move(respond));
}

}  // namespace vapidash::server
