#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "vapidash/server/app_context.hpp"
#include "vapidash/server/http_types.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::server {

// The 200 body for a durable write. Runs once, on the store's thread, in commit order.
template <class T>
using StoredBody = std::function<json(const T&)>;

// Applies `update`, told as caused by `cause`; once it is durable `body` answers 200. The store announces the
// change (HubAnnouncer) before it completes the write, so with the embedded store a 2xx means committed and
// queued for every dashboard. A write the store could not make durable is logged and answered 503.
void store_call_update(AppContext& app, CallUpdate update, std::string cause,
                       StoredBody<CallUpdateOutcome> body, Respond respond);

// Logs `record` on its call's timeline, answered like store_call_update; only the event feeds hear of it.
void store_event(AppContext& app, EventRecord record, StoredBody<StatusEvent> body, Respond respond);

// Where the store's announcements reach dashboards: a timeline entry goes out to the event feeds, a changed
// call (with its cause) to every feed of its tenant, a final transcript line to the tenant's feeds and a
// partial one to the feeds watching the call. Missed changes restart every feed (1012).
class HubAnnouncer final : public ChangeSink {
 public:
  explicit HubAnnouncer(BroadcastHub& hub);
  void call_changed(const CallUpdateOutcome& outcome, const std::string& cause) override;
  void event_logged(const StatusEvent& event) override;
  void changes_missed(const std::string& why) override;

 private:
  BroadcastHub& hub_;
};

}  // namespace vapidash::server
