#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace vapidash {

// Read connections, opened as needed and kept for the next read; one that broke is closed, not kept.
template <class Reader>
class ReaderPool {
 public:
  explicit ReaderPool(std::function<std::unique_ptr<Reader>()> open) : open_(std::move(open)) {}

  // One reader for one caller, returned to the pool when the lease goes.
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Reader> reader) : pool_(pool), reader_(std::move(reader)) {}
    ~Lease() { pool_.give_back(std::move(reader_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Reader* operator->() const noexcept { return reader_.get(); }
    Reader& operator*() const noexcept { return *reader_; }

   private:
    ReaderPool& pool_;
    std::unique_ptr<Reader> reader_;
  };

  Lease lease() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto reader = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(reader));
      }
    }
    auto reader = open_();
    ++open_count_;
    return Lease(*this, std::move(reader));
  }

  // Closes every idle connection (they are likely dead when one was found dead).
  void discard_idle() {
    std::lock_guard lock(mutex_);
    open_count_ -= idle_.size();
    idle_.clear();
  }

  std::size_t open_count() const noexcept { return open_count_; }
  std::size_t idle_count() {
    std::lock_guard lock(mutex_);
    return idle_.size();
  }

 private:
  void give_back(std::unique_ptr<Reader> reader) {
    if (reader->broken()) {
      --open_count_;
      return;
    }
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(reader));
  }

  std::function<std::unique_ptr<Reader>()> open_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Reader>> idle_;
  std::atomic<std::size_t> open_count_{0};
};

}  // namespace vapidash
