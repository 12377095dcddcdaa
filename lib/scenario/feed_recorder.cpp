#include "vapidash/scenario/feed_recorder.hpp"

#include "vapidash/error.hpp"

namespace vapidash {

FeedRecorder::FeedRecorder(const ServerUrl& server, const std::string& target,
                           std::chrono::milliseconds timeout, const TlsOptions& tls)
    : feed_(server, target, timeout, tls) {
  feed_.connect();
  reader_ = std::thread([this] { record(); });
}

FeedRecorder::~FeedRecorder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  feed_.interrupt();
  reader_.join();
  try {
    feed_.close();
  } catch (const error&) {  // the server may be gone already; nothing is left to read
  }
}

// Short reads, so that the destructor is noticed soon; a read that times out loses nothing.
void FeedRecorder::record() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::optional<std::string> text;
    try {
      text = feed_.read(std::chrono::milliseconds(50));
    } catch (const connection_error& e) {
      std::lock_guard lock(mutex_);
      ended_ = e.what();
      arrived_.notify_all();
      return;
    }
    if (!text) continue;
    auto message = json::parse(*text, nullptr, false);
    std::lock_guard lock(mutex_);
    texts_.push_back(std::move(*text));
    messages_.push_back(message.is_discarded() ? json(texts_.back()) : std::move(message));
    arrived_.notify_all();
  }
}

std::optional<json> FeedRecorder::next(std::size_t& cursor, clock::time_point deadline,
                                       const std::function<bool(const json&)>& wanted) {
  std::unique_lock lock(mutex_);
  for (;;) {
    for (; cursor < messages_.size(); ++cursor) {
      if (wanted(messages_[cursor])) return messages_[cursor++];
    }
    if (!ended_.empty()) return std::nullopt;
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout && cursor == messages_.size())
      return std::nullopt;
  }
}

std::vector<json> FeedRecorder::until(std::size_t& cursor, clock::time_point until) {
  std::unique_lock lock(mutex_);
  while (clock::now() < until) arrived_.wait_until(lock, until);
  std::vector<json> seen(messages_.begin() + static_cast<std::ptrdiff_t>(cursor), messages_.end());
  cursor = messages_.size();
  return seen;
}

std::vector<std::string> FeedRecorder::last(std::size_t count) const {
  std::lock_guard lock(mutex_);
  const auto first = texts_.size() > count ? texts_.size() - count : 0;
  return {texts_.begin() + static_cast<std::ptrdiff_t>(first), texts_.end()};
}

std::string FeedRecorder::ended() const {
  std::lock_guard lock(mutex_);
  return ended_;
}

std::size_t FeedRecorder::size() const {
  std::lock_guard lock(mutex_);
  return texts_.size();
}

}  // namespace vapidash
