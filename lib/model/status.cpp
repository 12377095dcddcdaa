#include "vapidash/model/status.hpp"

#include <array>

namespace vapidash {

namespace {
constexpr std::array<std::string_view, 6> ordered_statuses{"scheduled",   "queued",     "ringing",
                                                           "in-progress", "forwarding", "ended"};
}

std::optional<int> status_rank(std::string_view status) noexcept {
  for (std::size_t i = 0; i < ordered_statuses.size(); ++i) {
    if (ordered_statuses[i] == status) return static_cast<int>(i);
  }
  return std::nullopt;
}

const std::vector<std::string>& known_statuses() {
  static const std::vector<std::string> statuses(ordered_statuses.begin(), ordered_statuses.end());
  return statuses;
}

bool is_forward_move(std::string_view current, std::string_view next) noexcept {
  const auto from = status_rank(current);
  const auto to = status_rank(next);
  if (!to) return false;
  if (!from) return true;
  return *to > *from;
}

}  // namespace vapidash
