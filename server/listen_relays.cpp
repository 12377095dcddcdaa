#include "vapidash/server/listen_relays.hpp"

namespace vapidash::server {

ListenSeat::ListenSeat(ListenRelays& relays, std::pair<std::string, std::string> call)
    : relays_(&relays), call_(std::move(call)) {}

ListenSeat::ListenSeat(ListenSeat&& other) noexcept
    : relays_(std::exchange(other.relays_, nullptr)), call_(std::move(other.call_)) {}

ListenSeat::~ListenSeat() {
  if (relays_ != nullptr) relays_->release(call_);
}

ListenRelays::ListenRelays(std::size_t max_per_call, std::size_t max_total,
                           std::shared_ptr<ssl::context> upstream_tls, Metrics& metrics)
    : max_per_call_(max_per_call),
      max_total_(max_total),
      upstream_tls_(std::move(upstream_tls)),
      metrics_(metrics) {}

std::variant<ListenSeat, ListenRefusal> ListenRelays::take_seat(const std::string& client_id,
                                                                const std::string& call_id) {
  auto call = std::make_pair(client_id, call_id);
  {
    std::lock_guard lock(mutex_);
    if (total_ >= max_total_) {
      return ListenRefusal{listen_close::too_many_listeners,
                           "the server has its maximum of " + std::to_string(max_total_) + " listeners"};
    }
    auto& listening = per_call_[call];
    if (listening >= max_per_call_) {
      return ListenRefusal{listen_close::too_many_listeners,
                           "the call has its maximum of " + std::to_string(max_per_call_) + " listeners"};
    }
    ++listening;
    ++total_;
  }
  metrics_.listener_joined();
  return ListenSeat(*this, std::move(call));
}

void ListenRelays::release(const std::pair<std::string, std::string>& call) {
  {
    std::lock_guard lock(mutex_);
    --total_;
    if (--per_call_[call] == 0) per_call_.erase(call);
  }
  metrics_.listener_left();
}

}  // namespace vapidash::server
