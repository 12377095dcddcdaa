#include "vapidash/load/arrival_schedule.hpp"

#include <cmath>

namespace vapidash {

ArrivalSchedule::ArrivalSchedule(double rate, std::optional<double> ramp_to, seconds ramp_for,
                                 std::optional<std::uint64_t> calls, std::optional<seconds> duration)
    : rate_(rate),
      ramp_to_(ramp_to.value_or(rate)),
      ramp_for_(ramp_to ? ramp_for.count() : 0.0),
      calls_(calls),
      duration_(duration ? std::optional<double>(duration->count()) : std::nullopt) {}

// Inverts the number of starts by time t, rate·t during a ramp plus the ramp's slope·t²/2.
std::optional<ArrivalSchedule::seconds> ArrivalSchedule::start_of(std::uint64_t n) const {
  if (calls_ && n >= *calls_) return std::nullopt;
  const auto count = static_cast<double>(n);
  const double ramped = ramp_for_ > 0 ? (rate_ + ramp_to_) / 2 * ramp_for_ : 0.0;
  double at;
  if (count < ramped) {
    const double slope = (ramp_to_ - rate_) / ramp_for_;
    at = std::abs(slope) < 1e-12 ? count / rate_
                                 : (-rate_ + std::sqrt(rate_ * rate_ + 2 * slope * count)) / slope;
  } else {
    if (ramp_to_ <= 0) return std::nullopt;
    at = ramp_for_ + (count - ramped) / ramp_to_;
  }
  if (duration_ && at >= *duration_) return std::nullopt;
  return seconds(at);
}

std::optional<std::uint64_t> ArrivalSchedule::total() const {
  if (calls_) return calls_;
  if (!duration_) return std::nullopt;
  std::uint64_t low = 0;
  std::uint64_t high = 1;
  while (start_of(high)) high *= 2;
  while (low + 1 < high) {  // the first n without a start
    const auto middle = low + (high - low) / 2;
    (start_of(middle) ? low : high) = middle;
  }
  return start_of(0) ? high : 0;
}

}  // namespace vapidash
