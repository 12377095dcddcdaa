#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "vapidash/store/sqlite_store.hpp"

namespace vapidash::server {

// The two ways frames go through a call-audio relay (GET /ws/listen).
enum class RelayDirection { to_listener, to_upstream };

// Figures kept elsewhere (the store, the hub), in Prometheus' text format, each with its HELP and TYPE.
std::string render_figures(const std::vector<StoreFigure>& figures);

// The counters behind GET /metrics, rendered in Prometheus' text format.
class Metrics {
 public:
  void count_request(std::string_view route, unsigned status);
  // outcome: stored, duplicate, ignored or rejected.
  void count_webhook(std::string_view type, std::string_view outcome);
  void observe_commit(std::size_t writes, std::chrono::microseconds took);
  void observe_wal_sync();
  void listener_joined();
  void listener_left();
  void count_relayed(RelayDirection direction, std::size_t bytes);
  void count_relay_drops(RelayDirection direction, std::size_t frames);
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
  std::uint64_t listeners_ = 0;
  std::array<std::uint64_t, 2> relayed_bytes_{};  // by RelayDirection
  std::array<std::uint64_t, 2> relay_drops_{};
};

}  // namespace vapidash::server
