#pragma once

#include <cstdint>
#include <functional>

#include "vapidash/server/app_context.hpp"
#include "vapidash/server/http_types.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::server {

// The 200 body for a durable write. Runs once, on the store's thread, in commit order.
template <class T>
using StoredBody = std::function<json(const T&)>;

// Applies `update`; once it is durable, a changed call goes out to its dashboards and `body` answers 200, so
// a 2xx means committed and queued for every dashboard. A write the store could not make durable is logged
// and answered 503.
void store_call_update(AppContext& app, CallUpdate update, StoredBody<CallUpdateOutcome> body,
                       Respond respond);

// Logs `record` on its call's timeline, answered like store_call_update; a timeline entry is not broadcast.
void store_event(AppContext& app, EventRecord record, StoredBody<std::int64_t> body, Respond respond);

}  // namespace vapidash::server
