#include "vapidash/load/delivery_ledger.hpp"

#include <algorithm>

namespace vapidash {

DeliveryLedger::DeliveryLedger(std::size_t feeds, LatencyObserver observer)
    : feeds_(feeds), reordered_(feeds, 0), observer_(std::move(observer)) {}

DeliveryLedger::Call& DeliveryLedger::call(std::string_view call_id) {
  auto found = calls_.find(call_id);
  if (found == calls_.end()) {
    found = calls_.emplace(std::string(call_id), Call{}).first;
    found->second.received.assign(feeds_, 0);
  }
  return found->second;
}

void DeliveryLedger::answered(std::string_view call_id, std::uint64_t event_id, clock::time_point intended) {
  std::lock_guard lock(mutex_);
  auto& entry = call(call_id);
  entry.sends.push_back(Send{event_id, intended});
  if (entry.events_seen < entry.sends.size()) ++events_missing_;
  resolve_waiting(call_id, entry);
}

void DeliveryLedger::reference_event(std::string_view call_id, std::uint64_t event_id) {
  std::lock_guard lock(mutex_);
  auto& entry = call(call_id);
  ++entry.events_seen;
  if (entry.events_seen <= entry.sends.size()) --events_missing_;
  entry.last_event = event_id;
}

void DeliveryLedger::reference_upsert(std::string_view call_id, std::uint64_t text_hash) {
  std::lock_guard lock(mutex_);
  auto& entry = call(call_id);
  const auto position = entry.upserts.size();
  entry.upserts.push_back(Upsert{text_hash, entry.last_event});
  expected_ += feeds_;
  for (const auto received : entry.received) covered_ += received > position ? 1 : 0;
  resolve_waiting(call_id, entry);
}

void DeliveryLedger::delivered(std::size_t feed, std::string_view call_id, std::uint64_t text_hash,
                               clock::time_point at) {
  std::lock_guard lock(mutex_);
  auto& entry = call(call_id);
  const Arrival arrival{feed, entry.received[feed]++, text_hash, at};
  if (arrival.position < entry.upserts.size()) ++covered_;
  if (!resolve(call_id, entry, arrival)) entry.unresolved.push_back(arrival);
}

// The arrival is the position-th upsert of its call on its feed, so it is the reference's position-th: its
// latency runs from the intended send of the request whose event preceded that upsert.
bool DeliveryLedger::resolve(std::string_view call_id, Call& entry, const Arrival& arrival) {
  if (arrival.position >= entry.upserts.size()) return false;
  const auto& upsert = entry.upserts[arrival.position];
  const auto send = std::find_if(entry.sends.begin(), entry.sends.end(),
                                 [&](const Send& s) { return s.event_id == upsert.event_id; });
  if (send == entry.sends.end()) return false;
  const auto latency = std::chrono::duration_cast<std::chrono::nanoseconds>(arrival.at - send->intended);
  latency_.record(latency);
  if (observer_) observer_(arrival.feed, call_id, latency);
  if (upsert.text_hash != arrival.text_hash) ++reordered_[arrival.feed];
  return true;
}

void DeliveryLedger::resolve_waiting(std::string_view call_id, Call& entry) {
  std::erase_if(entry.unresolved, [&](const Arrival& arrival) { return resolve(call_id, entry, arrival); });
}

// Counted as things arrive, so asking is cheap however many calls and feeds there are. Calls that are not
// this run's (no answer) count too, while their upserts arrive: settling waits for them briefly, never
// wrongly.
bool DeliveryLedger::settled() const {
  std::lock_guard lock(mutex_);
  return events_missing_ == 0 && covered_ >= expected_;
}

std::uint64_t DeliveryLedger::reference_behind() const {
  std::lock_guard lock(mutex_);
  return events_missing_;
}

DeliveryTotals DeliveryLedger::totals() const {
  std::lock_guard lock(mutex_);
  DeliveryTotals out;
  out.feeds.assign(feeds_, FeedDeliveries{});
  for (std::size_t feed = 0; feed < feeds_; ++feed) out.feeds[feed].reordered = reordered_[feed];
  for (const auto& [id, entry] : calls_) {
    if (entry.sends.empty()) continue;
    const auto expected = entry.upserts.size();
    for (std::size_t feed = 0; feed < feeds_; ++feed) {
      const std::uint64_t received = entry.received[feed];
      auto& counts = out.feeds[feed];
      counts.received += received;
      if (received < expected) counts.lost += expected - received;
      if (received > expected) counts.duplicated += received - expected;
    }
    out.expected += expected * feeds_;
  }
  for (const auto& counts : out.feeds) {
    out.received += counts.received;
    out.lost += counts.lost;
    out.duplicated += counts.duplicated;
    out.reordered += counts.reordered;
  }
  return out;
}

LatencyHistogram DeliveryLedger::latency() const {
  std::lock_guard lock(mutex_);
  return latency_;
}

}  // namespace vapidash
