#pragma once

#include <string>

#include "vapidash/model/call.hpp"
#include "vapidash/model/call_update.hpp"

namespace vapidash {

// A call that a webhook creates: its status is the update's (or the snapshot's), nothing else is known yet.
Call new_webhook_call(const CallUpdate& update, const std::string& now);

// Applies a webhook's update to `call` so that the end state does not depend on delivery order:
// status only moves forward and `ended` is final; values the sender gives replace server guesses;
// an end-of-call report's data replaces what status-updates said; started_at and ended_at fall back to
// `now` when the call reaches in-progress and ended without them.
void merge_webhook_update(Call& call, const CallUpdate& update, const std::string& now);

// Seconds between started_at and ended_at, when both are known: the duration of a call whose report gave
// none.
std::optional<double> elapsed_seconds(const Call& call);

}  // namespace vapidash
