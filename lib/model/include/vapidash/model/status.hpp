#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vapidash {

// VAPI's call statuses in the order a call moves through them.
// Returns the rank (scheduled = 0 … ended = 5), or nullopt for a status outside VAPI's set.
std::optional<int> status_rank(std::string_view status) noexcept;

// True when a call at `current` may move to `next` under the forward-only rule of webhooks:
// a known status never moves back, `ended` is final, unknown statuses never replace known ones.
// VAPI's statuses in that order, for messages that list them.
const std::vector<std::string>& known_statuses();

bool is_forward_move(std::string_view current, std::string_view next) noexcept;

}  // namespace vapidash
