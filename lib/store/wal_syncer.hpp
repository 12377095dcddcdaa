#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vapidash::sqlite {

// Makes committed WAL transactions durable off the writer's thread. The writer commits without fsync
// (synchronous=NORMAL) and hands each batch's completion here; one fdatasync of the WAL file then covers
// every batch committed before it, and their completions run in hand-over order. While that fsync runs,
// the writer already executes the next batch — this pipelining is what lets durable writes keep up.
class WalSyncer {
 public:
  // `on_durable` gets nullopt once the batch is on disk, or why it may not be.
  using Completion = std::function<void(std::optional<std::string> failure)>;

  explicit WalSyncer(std::string wal_path);
  ~WalSyncer();
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  void submit(Completion on_durable);
  // Syncs and completes everything submitted, then stops the thread. Idempotent.
  void close();

 private:
  void run();
  std::optional<std::string> sync_wal();

  std::string wal_path_;
  int wal_fd_ = -1;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<Completion> pending_;
  bool closing_ = false;
  std::thread thread_;
};

}  // namespace vapidash::sqlite
