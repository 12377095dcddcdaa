#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace vapidash {

// When the open model starts each virtual call: `rate` calls per second, changing linearly to `ramp_to` over
// `ramp_for` and staying there (k6's constant- and ramping-arrival-rate). Starts never wait for answers.
class ArrivalSchedule {
 public:
  using seconds = std::chrono::duration<double>;

  ArrivalSchedule(double rate, std::optional<double> ramp_to, seconds ramp_for,
                  std::optional<std::uint64_t> calls, std::optional<seconds> duration);

  // When call `n` (from 0) starts, counted from the run's start; nullopt once the schedule is over.
  std::optional<seconds> start_of(std::uint64_t n) const;
  // How many calls the schedule starts, when it ends at all (with --for at a rate that reaches 0, or
  // --calls).
  std::optional<std::uint64_t> total() const;

 private:
  double rate_;
  double ramp_to_;
  double ramp_for_;
  std::optional<std::uint64_t> calls_;
  std::optional<double> duration_;
};

}  // namespace vapidash
