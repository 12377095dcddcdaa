#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vapidash/server/feed_scope.hpp"

namespace vapidash::server {

// A connected dashboard as the hub sees it.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Queues one serialised message; must not block.
  virtual void deliver(std::shared_ptr<const std::string> message) = 0;
  // Closes the feed with 1012 (service restart): it may have missed a change and must load the calls again.
  virtual void restart() = 0;
};

// Fans committed writes out to dashboards: all tenants' subscribers and those of the message's tenant.
// Publish order is delivery order because publishing is only done from the store's announcements, which come
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
  // A partial transcript line: only the feeds that subscribed to the call hear it.
  void publish_to_watchers(const std::string& client_id, const std::string& call_id,
                           const std::function<std::string()>& serialize);

  // A joined feed's interest in one call's partial lines. False when the feed already watches
  // max_watched_calls calls (or has left).
  bool watch(const Subscriber* subscriber, const std::string& client_id, const std::string& call_id);
  void unwatch(const Subscriber* subscriber, const std::string& client_id, const std::string& call_id);
  static constexpr std::size_t max_watched_calls = 100;

  // Every joined feed may have missed a change: each is closed with 1012 and reconnects to start over.
  void restart_all();
  std::uint64_t restarts() const noexcept { return restarts_; }

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
  static void send(const std::vector<std::shared_ptr<Subscriber>>& recipients,
                   const std::function<std::string()>& serialize);

  mutable std::mutex mutex_;
  Members everyone_;                                    // unscoped feeds
  std::unordered_map<std::string, Members> tenants_;    // ?client_id= feeds
  using CallKey = std::pair<std::string, std::string>;  // client_id, call_id
  struct Membership {
    std::weak_ptr<Subscriber> subscriber;
    std::optional<std::string> client_id;
    std::set<CallKey> watched;
  };
  void drop_watcher(const Subscriber* subscriber, const CallKey& call);

  std::unordered_map<const Subscriber*, Membership> registry_;
  std::map<CallKey, Members> watchers_;
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> restarts_{0};
};

}  // namespace vapidash::server
