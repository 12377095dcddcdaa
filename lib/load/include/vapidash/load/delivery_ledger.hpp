#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vapidash/load/histogram.hpp"

namespace vapidash {

// What became of the dashboard messages on one feed.
struct FeedDeliveries {
  std::uint64_t received = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t reordered = 0;
};

struct DeliveryTotals {
  std::uint64_t expected = 0;  // upserts of the run's calls × dashboards
  std::uint64_t received = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t reordered = 0;
  std::vector<FeedDeliveries> feeds;
};

// Works out which request caused each call-upsert a dashboard receives, and so its latency from that
// request's intended send time. The server answers a write with the timeline event it logged, and a
// reference feed (opened with events=1) shows each such event followed by the upsert it caused, if any. The
// reference's sequence of upserts per call is what every dashboard must receive, once and in order. Any
// thread may call any member.
class DeliveryLedger {
 public:
  using clock = std::chrono::steady_clock;

  // Told of every delivery's latency as it becomes known (for --out); called under the ledger's lock.
  using LatencyObserver =
      std::function<void(std::size_t feed, std::string_view call_id, std::chrono::nanoseconds)>;

  explicit DeliveryLedger(std::size_t feeds, LatencyObserver observer = {});

  // A request's answer: the call it wrote and its timeline event; `intended` is when it should have left.
  void answered(std::string_view call_id, std::uint64_t event_id, clock::time_point intended);
  // On the reference feed: a timeline event, then (maybe) the upsert it caused, the hash of its text.
  void reference_event(std::string_view call_id, std::uint64_t event_id);
  void reference_upsert(std::string_view call_id, std::uint64_t text_hash);
  // A dashboard received an upsert.
  void delivered(std::size_t feed, std::string_view call_id, std::uint64_t text_hash, clock::time_point at);

  // Whether every dashboard has everything the reference has, and the reference every answered event.
  bool settled() const;
  // Answered events the reference has not shown yet: what it knows of the run is incomplete while this is not
  // 0.
  std::uint64_t reference_behind() const;
  DeliveryTotals totals() const;
  LatencyHistogram latency() const;

 private:
  struct Send {
    std::uint64_t event_id;
    clock::time_point intended;
  };
  struct Upsert {
    std::uint64_t text_hash;
    std::uint64_t event_id;
  };
  struct Arrival {
    std::size_t feed;
    std::size_t position;  // among this call's upserts on that feed
    std::uint64_t text_hash;
    clock::time_point at;
  };
  struct Call {
    std::vector<Send> sends;
    std::uint64_t events_seen = 0;
    std::uint64_t last_event = 0;
    std::vector<Upsert> upserts;  // as the reference received them
    std::vector<std::uint32_t> received;
    std::vector<Arrival> unresolved;  // arrived before the reference or the answer told what they are
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };

  Call& call(std::string_view call_id);
  bool resolve(std::string_view call_id, Call& call, const Arrival& arrival);
  void resolve_waiting(std::string_view call_id, Call& call);

  mutable std::mutex mutex_;
  std::size_t feeds_;
  std::unordered_map<std::string, Call, Hash, std::equal_to<>> calls_;
  std::vector<std::uint64_t> reordered_;  // per feed
  LatencyHistogram latency_;
  LatencyObserver observer_;
  std::uint64_t events_missing_ = 0;  // answered events the reference has not shown yet
  std::uint64_t expected_ = 0;        // reference upserts × feeds
  std::uint64_t covered_ = 0;         // of those, how many their feed has received
};

}  // namespace vapidash
