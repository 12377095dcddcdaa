#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vapidash/client/feed_client.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

// A dashboard feed read on its own thread into a buffer from the moment it opens, so a scenario reads it
// through a cursor: no message is lost between steps, none is seen twice.
class FeedRecorder {
 public:
  using clock = std::chrono::steady_clock;

  // Connects before returning (throws like FeedClient::connect), then records until destroyed.
  FeedRecorder(const ServerUrl& server, const std::string& target, std::chrono::milliseconds timeout,
               const TlsOptions& tls);
  ~FeedRecorder();
  FeedRecorder(const FeedRecorder&) = delete;
  FeedRecorder& operator=(const FeedRecorder&) = delete;

  // The first message at or after `cursor` for which `wanted` is true, waiting until `deadline`; the cursor
  // moves past it (or, when none came, past everything that did). Skipped messages stay in the buffer.
  std::optional<json> next(std::size_t& cursor, clock::time_point deadline,
                           const std::function<bool(const json&)>& wanted);

  // Every message from `cursor` that arrived by `until` (waiting for it); the cursor moves past them.
  std::vector<json> until(std::size_t& cursor, clock::time_point until);

  // The last `count` messages received, as text, for a failure report.
  std::vector<std::string> last(std::size_t count) const;

  // Why the feed stopped, once it has ("" while it runs).
  std::string ended() const;

  std::size_t size() const;

 private:
  void record();

  FeedClient feed_;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> texts_;
  std::vector<json> messages_;
  std::string ended_;
  bool stopping_ = false;
  std::thread reader_;
};

}  // namespace vapidash
