#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace vapidash::server {

// A connected dashboard as the hub sees it.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Queues one serialised message; must not block.
  virtual void deliver(std::shared_ptr<const std::string> message) = 0;
};

// Fans committed upserts out to dashboards: all tenants' subscribers and those of the message's tenant.
// Publish order is delivery order because publish() is only called from the store's completions, which run
// one at a time in commit order.
class BroadcastHub {
 public:
  void join(const std::shared_ptr<Subscriber>& subscriber, const std::optional<std::string>& client_id);
  void leave(const Subscriber* subscriber);

  // `serialize` runs at most once, and only when someone listens; every socket shares its text.
  void publish(const std::string& client_id, const std::function<std::string()>& serialize);

  void record_drop() noexcept { ++dropped_; }
  std::size_t connected() const;
  std::uint64_t dropped() const noexcept { return dropped_; }

 private:
  using Members = std::unordered_map<const Subscriber*, std::weak_ptr<Subscriber>>;

  mutable std::mutex mutex_;
  Members everyone_;                                  // unscoped feeds
  std::unordered_map<std::string, Members> tenants_;  // ?client_id= feeds
  struct Membership {
    std::weak_ptr<Subscriber> subscriber;
    std::optional<std::string> client_id;
  };
  std::unordered_map<const Subscriber*, Membership> registry_;
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace vapidash::server
