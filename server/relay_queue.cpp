#include "vapidash/server/relay_queue.hpp"

namespace vapidash::server {

namespace {
std::size_t queued_cost(const RelayFrame& frame) {
  return frame.data.size() + RelayQueue::frame_overhead;
}
}  // namespace

std::size_t RelayQueue::push(RelayFrame frame) {
  if (queued_cost(frame) > max_bytes_) return 1;
  std::size_t dropped = 0;
  while (bytes_ + queued_cost(frame) > max_bytes_) {
    take();
    ++dropped;
  }
  bytes_ += queued_cost(frame);
  frames_.push_back(std::move(frame));
  return dropped;
}

RelayFrame RelayQueue::take() {
  auto frame = std::move(frames_.front());
  frames_.pop_front();
  bytes_ -= queued_cost(frame);
  return frame;
}

void RelayQueue::clear() {
  frames_.clear();
  bytes_ = 0;
}

}  // namespace vapidash::server
