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

// Applies `update`; once it is durable, its timeline entry goes out to the event feeds, a changed call (with
// `cause`, what changed it) to every feed of its tenant, and `body` answers 200, so a 2xx means committed and
// queued for every dashboard. A write the store could not make durable is logged and answered 503.
void store_call_update(AppContext& app, CallUpdate update, std::string cause,
                       StoredBody<CallUpdateOutcome> body, Respond respond);

// Logs `record` on its call's timeline, answered like store_call_update; only the event feeds hear of it.
void store_event(AppContext& app, EventRecord record, StoredBody<StatusEvent> body, Respond respond);

}  // namespace vapidash::server
