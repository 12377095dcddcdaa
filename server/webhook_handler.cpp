#include "vapidash/error.hpp"
#include "vapidash/server/handlers.hpp"
#include "vapidash/server/request_fields.hpp"
#include "vapidash/server/responses.hpp"
#include "vapidash/server/store_responses.hpp"
#include "vapidash/vapi/vapi_message.hpp"

namespace vapidash::server {

namespace {

void authenticate(const AppContext& app, const RouteContext& ctx) {
  const WebhookCredentials credentials{
      header(ctx.request, "x-vapi-secret"), header(ctx.request, "authorization"),
      header(ctx.request, "x-signature"), header(ctx.request, "x-timestamp")};
  const auto& client_id = ctx.param("client_id");
  switch (check_webhook(app.access, client_id, credentials, ctx.request.body(),
                        std::chrono::system_clock::now())) {
    case WebhookVerdict::accepted:
      return;
    case WebhookVerdict::closed:
      throw access_denied(403, "webhooks_closed", "tenant " + client_id + " does not accept webhooks");
    case WebhookVerdict::stale:
      throw access_denied(401, "unauthorized",
                          "x-timestamp is more than 5 minutes from the server's clock: check both clocks");
    case WebhookVerdict::missing:
      throw access_denied(401, "unauthorized",
                          "tenant " + client_id +
                              " requires a credential: x-vapi-secret, Authorization: Bearer, or x-signature "
                              "with x-timestamp");
    case WebhookVerdict::invalid:
      break;
  }
  throw access_denied(401, "unauthorized",
                      "the webhook credential for tenant " + client_id + " is not valid");
}

json stored_body(const CallUpdateOutcome& outcome) {
  if (outcome.duplicate) return json{{"ok", true}, {"call_id", outcome.call.id}, {"duplicate", true}};
  return json{{"ok", true}, {"call_id", outcome.call.id}, {"status_event_id", outcome.status_event_id}};
}

// Counts the outcome once the store has it, and leaves it for the request's log line.
StoredBody<CallUpdateOutcome> counted(Metrics& metrics, std::string type,
                                      std::shared_ptr<RequestNotes> notes) {
  return [&metrics, type = std::move(type), notes = std::move(notes)](const CallUpdateOutcome& outcome) {
    const auto* result = outcome.duplicate ? "duplicate" : "stored";
    metrics.count_webhook(type, result);
    notes->webhook->outcome = result;
    return stored_body(outcome);
  };
}

// A message that may only be logged on its call's timeline: counted and answered as ignored, with why, and
// with the event's id when the call exists.
StoredBody<CallUpdateOutcome> logged_only(Metrics& metrics, std::string type, std::string why,
                                          std::shared_ptr<RequestNotes> notes) {
  return [&metrics, type = std::move(type), why = std::move(why),
          notes = std::move(notes)](const CallUpdateOutcome& outcome) {
    const auto* result = outcome.duplicate ? "duplicate" : "ignored";
    metrics.count_webhook(type, result);
    notes->webhook->outcome = result;
    if (outcome.duplicate) return stored_body(outcome);
    if (outcome.call_missing) {
      notes->webhook->reason = why + "; there is no call " + outcome.call.id + " to record it on";
      return json{{"ok", true}, {"ignored", notes->webhook->reason}};
    }
    notes->webhook->reason = why + "; recorded on the call's timeline";
    return json{{"ok", true},
                {"call_id", outcome.call.id},
                {"status_event_id", outcome.status_event_id},
                {"ignored", why}};
  };
}

}  // namespace

// Answers 200 to every message it records or deliberately ignores: VAPI shows any other status to its user
// as a rejected webhook. Rejections (401, 400) are counted before they leave.
void vapi_webhook(AppContext& app, const RouteContext& ctx, Respond respond) {
  auto& note = ctx.notes->webhook.emplace();
  VapiMessage message;
  try {
    authenticate(app, ctx);
    message = parse_vapi_message(ctx.param("client_id"), ctx.request.body(), app.payloads);
  } catch (const error& e) {
    app.metrics.count_webhook("unknown", "rejected");
    note.outcome = "rejected";
    note.reason = e.what();
    throw;
  }
  note.type = message.type;
  if (!message.update) {
    app.metrics.count_webhook(message.type, "ignored");
    note.outcome = "ignored";
    note.reason = message.ignored;
    return respond(json_response(http::status::ok, json{{"ok", true}, {"ignored", message.ignored}}));
  }
  note.call_id = message.update->call_id;
  note.outcome = "failed";  // until the store says otherwise
  auto body = message.update->timeline_only
                  ? logged_only(app.metrics, message.type, std::move(message.ignored), ctx.notes)
                  : counted(app.metrics, message.type, ctx.notes);
  store_call_update(app, std::move(*message.update), message.type, std::move(body), std::move(respond));
}

}  // namespace vapidash::server
