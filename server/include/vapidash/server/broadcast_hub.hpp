#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "vapidash/server/feed_scope.hpp"

namespace vapidash::server {

// A connected dashboard as the hub sees it.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Queues one serialised message; must not block.
  virtual void deliver(std::shared_ptr<const std::string> message) = 0;
};

// Fans committed writes out to dashboards: all tenants' subscribers and those of the message's tenant.
// Publish order is delivery order because publishing is only done from the store's completions, which run
// one at a time in commit order.
class BroadcastHub {
 public:
  void join(const std::shared_ptr<Subscriber>& subscriber, const FeedScope& scope);
  void leave(const Subscriber* subscriber);

  // A call changed: every feed of its tenant hears it. `serialize` runs at most once, and only when someone
  // listens; every socket shares its text.
  void publish(const std::string& client_id, const std::function<std::string()>& serialize);
  // A timeline entry was logged: only the feeds that asked for events hear it.
  void publish_event(const std::string& client_id, const std::function<std::string()>& serialize);

  void record_drop() noexcept { ++dropped_; }
  std::size_t connected() const;
  std::uint64_t dropped() const noexcept { return dropped_; }

 private:
  struct Member {
    std::weak_ptr<Subscriber> subscriber;
    bool events = false;
  };
  using Members = std::unordered_map<const Subscriber*, Member>;

  void deliver(const std::string& client_id, const std::function<std::string()>& serialize, bool events_only);

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
