#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "vapidash/store/sqlite_store.hpp"

namespace vapidash::server {

// The counters behind GET /metrics, rendered in Prometheus' text format.
class Metrics {
 public:
  void count_request(std::string_view route, unsigned status);
  // outcome: stored, duplicate, ignored or rejected.
  void count_webhook(std::string_view type, std::string_view outcome);
  void observe_commit(std::size_t writes, std::chrono::microseconds took);
  void observe_wal_sync();
  // Feeds the store's commits and syncs into these metrics.
  StoreObserver store_observer();

  std::string render(std::size_t connected_dashboards, std::uint64_t dropped_dashboards) const;

 private:
  static constexpr std::array<double, 12> latency_bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                         0.01,   0.025,   0.05,   0.1,   0.25,   1.0};
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> webhooks_;
  std::array<std::uint64_t, latency_bounds.size()> commit_buckets_{};
  std::uint64_t commits_ = 0;
  std::uint64_t committed_writes_ = 0;
  double commit_seconds_ = 0;
  std::uint64_t wal_syncs_ = 0;
};

}  // namespace vapidash::server
