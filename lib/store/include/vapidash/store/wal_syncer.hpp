#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace vapidash::sqlite {

// Makes committed WAL transactions durable off the writer's thread. The writer commits without fsync
// (synchronous=NORMAL) and hands each batch's completion here. A sync thread then fdatasyncs the WAL, which
// covers every batch committed before that call began. Several sync threads let a new fdatasync start while
// an earlier one is still in flight, so a batch never waits a whole extra fsync for its turn; completions
// still run one at a time, in hand-over order.
//
// A failed fdatasync is sticky: Linux reports a lost write-back once per descriptor, so a later successful
// call proves nothing about earlier frames. Every batch not already durable then fails.
class WalSyncer {
 public:
  // Gets nullopt once the batch is on disk, or why it may not be.
  using Completion = std::function<void(std::optional<std::string> failure)>;
  // fdatasync's contract: 0 on success, -1 with errno set. Tests substitute one to observe every sync.
  using DataSync = std::function<int(int fd)>;

  explicit WalSyncer(std::string wal_path, std::size_t sync_threads = 2, DataSync data_sync = ::fdatasync);
  ~WalSyncer();
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  void submit(Completion on_durable);
  // Syncs and completes everything submitted, then stops the threads. Idempotent.
  void close();

 private:
  struct Pending {
    std::uint64_t sequence;
    Completion on_durable;
  };
  // One per sync thread: each descriptor sees every write-back error on its own.
  class WalHandle;

  void run();
  void record_sync(std::uint64_t target, std::optional<std::string> failure);
  void run_completions(std::unique_lock<std::mutex>& lock);

  const std::string wal_path_;
  const DataSync data_sync_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::deque<Pending> pending_;
  std::uint64_t submitted_ = 0;  // sequence of the newest submitted batch
  std::uint64_t claimed_ = 0;    // newest sequence an fdatasync has started for
  std::uint64_t durable_ = 0;    // every sequence up to this one is on disk
  std::optional<std::string> failure_;
  bool completing_ = false;  // a thread is running completions: the others leave theirs to it
  bool closing_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vapidash::sqlite
