#include "vapidash/load/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace vapidash {

namespace {

constexpr int sub_bucket_bits = 7;
constexpr std::uint64_t sub_buckets = std::uint64_t{1} << sub_bucket_bits;  // per power of two

// A value's top 8 significant bits, [128, 256), pick its bucket within its power of two; the bits shifted out
// below them are what the bucket does not tell apart. Below 256 nothing is shifted out, so the index is the
// value itself.
constexpr int shift_of(std::uint64_t value) noexcept {
  return std::max(static_cast<int>(std::bit_width(value)) - 1 - sub_bucket_bits, 0);
}

constexpr std::size_t bucket_of(std::uint64_t value) noexcept {
  const int shift = shift_of(value);
  return static_cast<std::size_t>(shift) * sub_buckets + static_cast<std::size_t>(value >> shift);
}

// The highest value that bucket_of() maps to `bucket`.
constexpr std::uint64_t highest_in(std::size_t bucket) noexcept {
  if (bucket < 2 * sub_buckets) return bucket;
  const auto shift = bucket / sub_buckets - 1;
  const auto top_bits = bucket % sub_buckets + sub_buckets;
  return (top_bits << shift) + ((std::uint64_t{1} << shift) - 1);
}

constexpr std::size_t bucket_count = bucket_of(std::numeric_limits<std::uint64_t>::max()) + 1;

// q * count rounded up, as the rank of a recording (1 = the smallest). q * count is computed in doubles, so a
// product meant to be whole may come out a hair above it (0.07 * 100 = 7.000000000000001): that hair is not
// a reason to move to the next recording.
std::uint64_t rank_at(double q, std::uint64_t count) noexcept {
  const double exact = q * static_cast<double>(count);
  const double rank = std::ceil(exact - exact * 1e-12);
  return std::clamp(static_cast<std::uint64_t>(rank), std::uint64_t{1}, count);
}

}  // namespace

LatencyHistogram::LatencyHistogram() : counts_(bucket_count, 0) {}

void LatencyHistogram::record(std::uint64_t ns) noexcept {
  ++counts_[bucket_of(ns)];
  ++count_;
  min_ = std::min(min_, ns);
  max_ = std::max(max_, ns);
  sum_ += static_cast<double>(ns);
}

void LatencyHistogram::record(std::chrono::nanoseconds duration) noexcept {
  record(static_cast<std::uint64_t>(std::max(duration.count(), std::chrono::nanoseconds::rep{0})));
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
  for (std::size_t bucket = 0; bucket < counts_.size(); ++bucket) counts_[bucket] += other.counts_[bucket];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

void LatencyHistogram::reset() noexcept {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = std::numeric_limits<std::uint64_t>::max();
  max_ = 0;
  sum_ = 0;
}

std::uint64_t LatencyHistogram::min() const noexcept {
  return count_ == 0 ? 0 : min_;
}

double LatencyHistogram::mean() const noexcept {
  return count_ == 0 ? 0 : sum_ / static_cast<double>(count_);
}

std::uint64_t LatencyHistogram::value_at_quantile(double q) const noexcept {
  if (count_ == 0) return 0;
  if (!(q > 0)) return min_;  // a NaN q too
  if (q >= 1) return max_;
  const auto rank = rank_at(q, count_);
  std::uint64_t seen = 0;
  for (std::size_t bucket = 0; bucket < counts_.size(); ++bucket) {
    seen += counts_[bucket];
    if (seen >= rank) return std::min(highest_in(bucket), max_);
  }
  return max_;
}

}  // namespace vapidash
