#include "vapidash/server/broadcast_hub.hpp"

#include <vector>

namespace vapidash::server {

void BroadcastHub::join(const std::shared_ptr<Subscriber>& subscriber, const FeedScope& scope) {
  std::lock_guard lock(mutex_);
  auto& members = scope.client_id ? tenants_[*scope.client_id] : everyone_;
  members.emplace(subscriber.get(), Member{subscriber, scope.events});
  registry_.emplace(subscriber.get(), Membership{subscriber, scope.client_id});
}

void BroadcastHub::leave(const Subscriber* subscriber) {
  std::lock_guard lock(mutex_);
  const auto entry = registry_.find(subscriber);
  if (entry == registry_.end()) return;
  if (!entry->second.client_id) {
    everyone_.erase(subscriber);
  } else if (auto tenant = tenants_.find(*entry->second.client_id); tenant != tenants_.end()) {
    tenant->second.erase(subscriber);
    if (tenant->second.empty()) tenants_.erase(tenant);
  }
  for (const auto& call : entry->second.watched) drop_watcher(subscriber, call);
  registry_.erase(entry);
}

bool BroadcastHub::watch(const Subscriber* subscriber, const std::string& client_id,
                         const std::string& call_id) {
  std::lock_guard lock(mutex_);
  const auto entry = registry_.find(subscriber);
  if (entry == registry_.end()) return false;
  auto& watched = entry->second.watched;
  CallKey call{client_id, call_id};
  if (watched.contains(call)) return true;
  if (watched.size() >= max_watched_calls) return false;
  watchers_[call].emplace(subscriber, Member{entry->second.subscriber, false});
  watched.insert(std::move(call));
  return true;
}

void BroadcastHub::unwatch(const Subscriber* subscriber, const std::string& client_id,
                           const std::string& call_id) {
  std::lock_guard lock(mutex_);
  const auto entry = registry_.find(subscriber);
  if (entry == registry_.end()) return;
  const CallKey call{client_id, call_id};
  if (entry->second.watched.erase(call) > 0) drop_watcher(subscriber, call);
}

void BroadcastHub::drop_watcher(const Subscriber* subscriber, const CallKey& call) {
  const auto found = watchers_.find(call);
  if (found == watchers_.end()) return;
  found->second.erase(subscriber);
  if (found->second.empty()) watchers_.erase(found);
}

void BroadcastHub::publish_to_watchers(const std::string& client_id, const std::string& call_id,
                                       const std::function<std::string()>& serialize) {
  std::vector<std::shared_ptr<Subscriber>> recipients;
  {
    std::lock_guard lock(mutex_);
    const auto found = watchers_.find(CallKey{client_id, call_id});
    if (found == watchers_.end()) return;
    for (const auto& [_, member] : found->second) {
      if (auto s = member.subscriber.lock()) recipients.push_back(std::move(s));
    }
  }
  send(recipients, serialize);
}

void BroadcastHub::publish(const std::string& client_id, const std::function<std::string()>& serialize) {
  deliver(client_id, serialize, false);
}

void BroadcastHub::publish_event(const std::string& client_id,
                                 const std::function<std::string()>& serialize) {
  deliver(client_id, serialize, true);
}

void BroadcastHub::deliver(const std::string& client_id, const std::function<std::string()>& serialize,
                           bool events_only) {
  std::vector<std::shared_ptr<Subscriber>> recipients;
  {
    std::lock_guard lock(mutex_);
    const auto tenant = tenants_.find(client_id);
    recipients.reserve(everyone_.size() + (tenant != tenants_.end() ? tenant->second.size() : 0));
    const auto collect = [&](const Members& members) {
      for (const auto& [_, member] : members) {
        if (events_only && !member.events) continue;
        if (auto s = member.subscriber.lock()) recipients.push_back(std::move(s));
      }
    };
    collect(everyone_);
    if (tenant != tenants_.end()) collect(tenant->second);
  }
  send(recipients, serialize);
}

void BroadcastHub::send(const std::vector<std::shared_ptr<Subscriber>>& recipients,
                        const std::function<std::string()>& serialize) {
  if (recipients.empty()) return;
  const auto shared = std::make_shared<const std::string>(serialize());
  for (const auto& subscriber : recipients) subscriber->deliver(shared);
}

void BroadcastHub::restart_all() {
  std::vector<std::shared_ptr<Subscriber>> feeds;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [_, membership] : registry_) {
      if (auto feed = membership.subscriber.lock()) feeds.push_back(std::move(feed));
    }
  }
  restarts_ += feeds.size();
  for (const auto& feed : feeds) feed->restart();
}

std::size_t BroadcastHub::connected() const {
  std::lock_guard lock(mutex_);
  return registry_.size();
}

}  // namespace vapidash::server
