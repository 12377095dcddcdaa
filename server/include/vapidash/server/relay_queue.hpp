#pragma once

#include <cstddef>
#include <deque>
#include <string>

namespace vapidash::server {

// One WebSocket message passed through a relay, kept binary or text as it came.
struct RelayFrame {
  std::string data;
  bool binary = true;
};

// The frames waiting for one side of a relay, at most `max_bytes` of them (each frame counted with
// `frame_overhead` more, so empty frames cannot pile up either). Live audio is worth less the
// older it is, so a receiver that falls behind loses the oldest waiting frames, never the connection.
class RelayQueue {
 public:
  static constexpr std::size_t frame_overhead = 64;

  explicit RelayQueue(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // Queues `frame`; returns how many frames were dropped to keep within the bound (`frame` itself when it
  // alone is larger than the bound).
  std::size_t push(RelayFrame frame);
  // The oldest frame, removed; the queue must not be empty.
  RelayFrame take();
  void clear();

  bool empty() const noexcept { return frames_.empty(); }
  std::size_t bytes() const noexcept { return bytes_; }  // with the overhead

 private:
  std::size_t max_bytes_;
  std::deque<RelayFrame> frames_;
  std::size_t bytes_ = 0;
};

}  // namespace vapidash::server
