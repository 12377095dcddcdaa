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
  registry_.erase(entry);
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
  if (recipients.empty()) return;
  const auto shared = std::make_shared<const std::string>(serialize());
  for (const auto& subscriber : recipients) subscriber->deliver(shared);
}

std::size_t BroadcastHub::connected() const {
  std::lock_guard lock(mutex_);
  return registry_.size();
}

}  // namespace vapidash::server
