#include "vapidash/server/store_responses.hpp"

#include "vapidash/server/broadcast_hub.hpp"
#include "vapidash/server/log.hpp"
#include "vapidash/server/responses.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::server {

namespace {

Response write_failure_response(const WriteFailure& failure) {
  log().error("a write failed in the store: {}", failure.message);
  return error_response(
      http::status::service_unavailable, "store_unavailable",
      "the database could not store the write durably (" + failure.message + "); retry later");
}

template <class T>
WriteCallback<T> respond_when_durable(Respond respond, StoredBody<T> body) {
  return [respond = std::move(respond), body = std::move(body)](WriteResult<T> result) {
    const auto* stored = std::get_if<T>(&result);
    if (stored == nullptr) return respond(write_failure_response(std::get<WriteFailure>(result)));
    respond(json_response(http::status::ok, body(*stored)));
  };
}

void publish_upsert(BroadcastHub& hub, const Call& call) {
  hub.publish(call.client_id, [&call] { return dump_json(call_upsert_message(call)); });
}

// Runs before the response is written, so a client that hears 2xx knows its dashboards have the call queued.
StoredBody<CallUpdateOutcome> publishing(BroadcastHub& hub, StoredBody<CallUpdateOutcome> body) {
  return [&hub, body = std::move(body)](const CallUpdateOutcome& outcome) {
    auto answer = body(outcome);
    if (outcome.changed) publish_upsert(hub, outcome.call);
    return answer;
  };
}

}  // namespace

void store_call_update(AppContext& app, CallUpdate update, StoredBody<CallUpdateOutcome> body,
                       Respond respond) {
  auto on_stored = publishing(app.hub, std::move(body));
  app.store.apply(std::move(update), respond_when_durable(std::move(respond), std::move(on_stored)));
}

void store_event(AppContext& app, EventRecord record, StoredBody<std::int64_t> body, Respond respond) {
  app.store.log_event(std::move(record), respond_when_durable(std::move(respond), std::move(body)));
}

}  // namespace vapidash::server
