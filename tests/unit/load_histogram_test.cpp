#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "vapidash/load/histogram.hpp"

namespace vapidash::test {
namespace {

using std::chrono::nanoseconds;

constexpr auto largest_ns = std::numeric_limits<std::uint64_t>::max();

// Every power of two and its neighbours, plus values spread evenly over the powers of two (a fixed seed:
// std::mt19937_64's output is the same everywhere).
std::vector<std::uint64_t> histogram_sweep_values() {
  std::vector<std::uint64_t> values;
  for (int power = 0; power < 64; ++power) {
    const auto two_to_the = std::uint64_t{1} << power;
    values.insert(values.end(), {two_to_the - 1, two_to_the, two_to_the + 1});
  }
  values.push_back(largest_ns);
  std::mt19937_64 random{20240611};
  for (int i = 0; i < 3000; ++i) {
    const auto bits = random();
    values.push_back(bits >> (random() % 64));
  }
  return values;
}

// Reported must not be below the exact value, nor more than 1 % above it.
::testing::AssertionResult within_one_percent(std::uint64_t reported, std::uint64_t exact) {
  if (reported >= exact && reported - exact <= exact / 100) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "reported " << reported << " for " << exact;
}

TEST(LatencyHistogramTest, ValuesUnder128AreExact) {
  LatencyHistogram histogram;
  for (std::uint64_t value = 0; value < 128; ++value) histogram.record(value);
  for (std::uint64_t rank = 1; rank <= 128; ++rank) {
    const double q = (static_cast<double>(rank) - 0.5) / 128;
    EXPECT_EQ(histogram.value_at_quantile(q), rank - 1) << "q " << q;
  }
}

TEST(LatencyHistogramTest, EveryQuantileOfASweepIsWithinOnePercentOfTheExactOne) {
  auto values = histogram_sweep_values();
  LatencyHistogram histogram;
  for (const auto value : values) histogram.record(value);
  std::sort(values.begin(), values.end());
  const auto n = values.size();
  ASSERT_EQ(histogram.count(), n);
  // (rank - 0.5) / n rounds up to exactly `rank` whatever the floating point does.
  for (std::size_t rank = 1; rank <= n; ++rank) {
    const double q = (static_cast<double>(rank) - 0.5) / static_cast<double>(n);
    EXPECT_TRUE(within_one_percent(histogram.value_at_quantile(q), values[rank - 1])) << "rank " << rank;
  }
}

TEST(LatencyHistogramTest, QuantilesAsWrittenPickTheCeilingRank) {
  // 3 % apart, more than the histogram's error, so a rank off by one reports a wrong value. 300 of them: q *
  // 300 in doubles overshoots a whole number for q = 0.07, 0.14, 0.17, 0.28 ...
  std::vector<std::uint64_t> values;
  for (int i = 0; i < 300; ++i) {
    values.push_back(static_cast<std::uint64_t>(std::llround(1000 * std::pow(1.03, i))));
  }
  LatencyHistogram histogram;
  for (auto it = values.rbegin(); it != values.rend(); ++it) histogram.record(*it);
  for (std::uint64_t per_10k = 0; per_10k <= 10'000; per_10k += 10) {
    const auto rank =
        std::max<std::uint64_t>((per_10k * 300 + 9'999) / 10'000, 1);  // ceil(q * 300), in integers
    const double q = static_cast<double>(per_10k) / 10'000;
    EXPECT_TRUE(within_one_percent(histogram.value_at_quantile(q), values[rank - 1])) << "q " << q;
  }
}

TEST(LatencyHistogramTest, ZeroAndOneAreTheExactMinimumAndMaximum) {
  LatencyHistogram histogram;
  for (const std::uint64_t value : {123'456'789ULL, 5'000'001ULL, 987'654'321'987ULL})
    histogram.record(value);
  EXPECT_EQ(histogram.value_at_quantile(0), 5'000'001u);
  EXPECT_EQ(histogram.value_at_quantile(1), 987'654'321'987u);
  EXPECT_EQ(histogram.min(), 5'000'001u);
  EXPECT_EQ(histogram.max(), 987'654'321'987u);
}

TEST(LatencyHistogramTest, AQuantileNeverReportsMoreThanTheMaximum) {
  LatencyHistogram histogram;
  histogram.record(1'000'001);  // its bucket reaches up to 1'003'519
  histogram.record(1'000'002);
  EXPECT_EQ(histogram.value_at_quantile(0.5), 1'000'002u);
}

TEST(LatencyHistogramTest, EmptyReportsZeroEverywhere) {
  const LatencyHistogram histogram;
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.min(), 0u);
  EXPECT_EQ(histogram.max(), 0u);
  EXPECT_EQ(histogram.mean(), 0);
  for (const double q : {0.0, 0.5, 0.999, 1.0}) EXPECT_EQ(histogram.value_at_quantile(q), 0u) << q;
}

TEST(LatencyHistogramTest, CountMinMaxMean) {
  LatencyHistogram histogram;
  histogram.record(nanoseconds{300});
  histogram.record(std::uint64_t{100});
  histogram.record(nanoseconds{2'000});
  EXPECT_EQ(histogram.count(), 3u);
  EXPECT_EQ(histogram.min(), 100u);
  EXPECT_EQ(histogram.max(), 2'000u);
  EXPECT_DOUBLE_EQ(histogram.mean(), 800);
}

TEST(LatencyHistogramTest, ANegativeDurationCountsAsZero) {
  LatencyHistogram histogram;
  histogram.record(nanoseconds{-5});
  histogram.record(nanoseconds{10});
  EXPECT_EQ(histogram.count(), 2u);
  EXPECT_EQ(histogram.min(), 0u);
  EXPECT_EQ(histogram.value_at_quantile(0.5), 0u);
  EXPECT_DOUBLE_EQ(histogram.mean(), 5);
}

TEST(LatencyHistogramTest, HugeValuesAreKeptExactAtTheEnds) {
  LatencyHistogram histogram;
  const auto longest_duration = static_cast<std::uint64_t>(nanoseconds::max().count());
  histogram.record(nanoseconds::max());
  histogram.record(largest_ns);
  histogram.record(std::uint64_t{1} << 63);
  EXPECT_EQ(histogram.max(), largest_ns);
  EXPECT_EQ(histogram.min(), longest_duration);
  EXPECT_EQ(histogram.value_at_quantile(1), largest_ns);
  EXPECT_TRUE(within_one_percent(histogram.value_at_quantile(0.5), std::uint64_t{1} << 63));
  EXPECT_NEAR(histogram.mean(), 0x1p65 / 3, 0x1p65 * 1e-12);
}

TEST(LatencyHistogramTest, MergeEqualsRecordingBoth) {
  const auto values = histogram_sweep_values();
  LatencyHistogram first, second, both;
  for (std::size_t i = 0; i < values.size(); ++i) {
    (i % 3 == 0 ? first : second).record(values[i]);
    both.record(values[i]);
  }
  first.merge(second);
  EXPECT_EQ(first.count(), both.count());
  EXPECT_EQ(first.min(), both.min());
  EXPECT_EQ(first.max(), both.max());
  EXPECT_NEAR(first.mean(), both.mean(), both.mean() * 1e-12);
  for (int per_1000 = 0; per_1000 <= 1000; ++per_1000) {
    const double q = per_1000 / 1000.0;
    EXPECT_EQ(first.value_at_quantile(q), both.value_at_quantile(q)) << "q " << q;
  }
}

TEST(LatencyHistogramTest, MergingAnEmptyOneChangesNothing) {
  LatencyHistogram histogram, empty;
  histogram.record(std::uint64_t{42});
  histogram.merge(empty);
  EXPECT_EQ(histogram.count(), 1u);
  EXPECT_EQ(histogram.min(), 42u);
  EXPECT_EQ(histogram.max(), 42u);
  empty.merge(histogram);
  EXPECT_EQ(empty.min(), 42u);
  EXPECT_EQ(empty.value_at_quantile(0.5), 42u);
}

TEST(LatencyHistogramTest, ResetForgetsEverything) {
  LatencyHistogram histogram;
  histogram.record(std::uint64_t{5'000'000});
  histogram.record(std::uint64_t{9'000'000});
  histogram.reset();
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.min(), 0u);
  EXPECT_EQ(histogram.max(), 0u);
  EXPECT_EQ(histogram.mean(), 0);
  EXPECT_EQ(histogram.value_at_quantile(0.5), 0u);
  histogram.record(std::uint64_t{7});
  EXPECT_EQ(histogram.min(), 7u);
  EXPECT_EQ(histogram.value_at_quantile(0.5), 7u);
}

}  // namespace
}  // namespace vapidash::test
