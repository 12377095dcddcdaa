#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace vapidash {

// Durations in nanoseconds, 0 .. 2^64-1, counted in log-linear buckets (as HdrHistogram does): values below
// 256 each have their own bucket; above, every power of two is split into 128 equal buckets, so a bucket is
// at most 1/128 (0.78 %) of its values wide. All memory is taken by the constructor: recording never
// allocates. Not thread-safe: keep one per thread and merge() them.
class LatencyHistogram {
 public:
  LatencyHistogram();

  void record(std::uint64_t ns) noexcept;
  void record(std::chrono::nanoseconds duration) noexcept;  // a negative duration counts as 0

  void merge(const LatencyHistogram& other) noexcept;
  void reset() noexcept;

  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t min() const noexcept;                  // exact; 0 when empty
  std::uint64_t max() const noexcept { return max_; }  // exact; 0 when empty
  double mean() const noexcept;                        // 0 when empty

  // The ceil(q * count())-th smallest value recorded (q in [0, 1], 0.999 for p99.9), reported as the highest
  // value its bucket holds, at most max(): never below it and within 1 % above it. q <= 0 gives min() and
  // q >= 1 max(), both exact; an empty histogram gives 0.
  std::uint64_t value_at_quantile(double q) const noexcept;

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t max_ = 0;
  // A double: a uint64 sum of nanoseconds overflows after 2^64 ns, about 584 years of latency in all.
  double sum_ = 0;
};

}  // namespace vapidash
