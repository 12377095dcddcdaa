#include "vapidash/server/broadcast_hub.hpp"

#include <vector>

namespace vapidash::server {

void BroadcastHub::join(const std::shared_ptr<Subscriber>& subscriber,
                        const std::optional<std::string>& client_id) {
  std::lock_guard lock(mutex_);
  auto& members = client_id ? tenants_[*client_id] : everyone_;
  members.emplace(subscriber.get(), subscriber);
  registry_.emplace(subscriber.get(), Membership{subscriber, client_id});
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
  std::vector<std::shared_ptr<Subscriber>> recipients;
  {
    std::lock_guard lock(mutex_);
    const auto tenant = tenants_.find(client_id);
    recipients.reserve(everyone_.size() + (tenant != tenants_.end() ? tenant->second.size() : 0));
    for (const auto& [_, weak] : everyone_) {
      if (auto s = weak.lock()) recipients.push_back(std::move(s));
    }
    if (tenant != tenants_.end()) {
      for (const auto& [_, weak] : tenant->second) {
        if (auto s = weak.lock()) recipients.push_back(std::move(s));
      }
    }
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
