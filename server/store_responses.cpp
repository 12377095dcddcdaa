#include "vapidash/server/store_responses.hpp"

#include "vapidash/server/broadcast_hub.hpp"
#include "vapidash/server/log.hpp"
#include "vapidash/server/responses.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::server {

namespace {

void publish_event(BroadcastHub& hub, const StatusEvent& event) {
  hub.publish_event(event.client_id, [&] { return dump_json(status_event_message(event)); });
}

// Final lines go to every feed of the tenant; partial ones only to the feeds watching the call.
void publish_transcript(BroadcastHub& hub, const Call& call, const LiveTranscript& live) {
  const auto serialize = [&] { return dump_json(transcript_update_message(call.client_id, call.id, live)); };
  if (live.final) {
    hub.publish(call.client_id, serialize);
  } else {
    hub.publish_to_watchers(call.client_id, call.id, serialize);
  }
}

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

// The timeline entry first, then the change it caused: the order in which a reader of both would tell it.
void publish_outcome(BroadcastHub& hub, const CallUpdateOutcome& outcome, const std::string& cause) {
  if (outcome.event) publish_event(hub, *outcome.event);
  if (outcome.changed) {
    hub.publish(outcome.call.client_id, [&] { return dump_json(call_upsert_message(outcome.call, cause)); });
  }
  if (outcome.transcript) publish_transcript(hub, outcome.call, *outcome.transcript);
}

}  // namespace

void store_call_update(AppContext& app, CallUpdate update, std::string cause,
                       StoredBody<CallUpdateOutcome> body, Respond respond) {
  update.cause = std::move(cause);
  app.store.apply(std::move(update), respond_when_durable(std::move(respond), std::move(body)));
}

void store_event(AppContext& app, EventRecord record, StoredBody<StatusEvent> body, Respond respond) {
  app.store.log_event(std::move(record), respond_when_durable(std::move(respond), std::move(body)));
}

HubAnnouncer::HubAnnouncer(BroadcastHub& hub) : hub_(hub) {}

void HubAnnouncer::call_changed(const CallUpdateOutcome& outcome, const std::string& cause) {
  publish_outcome(hub_, outcome, cause);
}

void HubAnnouncer::event_logged(const StatusEvent& event) {
  publish_event(hub_, event);
}

void HubAnnouncer::changes_missed(const std::string& why) {
  log().warn("closing every dashboard feed with 1012 so each loads the calls again: {}", why);
  hub_.restart_all();
}

}  // namespace vapidash::server
