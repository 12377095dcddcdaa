#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vapidash/store/call_reader.hpp"
#include "vapidash/store/reader_pool.hpp"
#include "vapidash/store/store.hpp"
#include "vapidash/store/write_jobs.hpp"

namespace vapidash {

namespace sqlite {
class CallReader;
class Database;
class DatabaseLock;
class WalSyncer;
}  // namespace sqlite

enum class SyncMode { full, normal };

struct SqliteOptions {
  std::string path = "vapidash.db";
  SyncMode sync = SyncMode::full;
  std::size_t max_batch = 1024;  // updates committed in one transaction at most
};

// The embedded default store: SQLite in WAL mode. One writer thread applies queued writes in batches, one
// transaction per batch (group commit), and completes each write only after its batch's commit is durable
// (SyncMode::full: its WAL frames are fsynced, see WalSyncer; normal: committed to the OS). Completions run
// in commit order. Reads use a pool of read-only connections, so they never wait for the writer. The file is
// locked for the store's lifetime: a second store on it throws store_locked. Every other reason the file
// cannot be used throws store_error naming the path and the cause.
class SqliteStore final : public Store {
 public:
  explicit SqliteStore(SqliteOptions options, StoreObserver observer = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  void apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) override;
  void log_event(EventRecord record, WriteCallback<StatusEvent> done) override;
  void prune(PruneRequest request, WriteCallback<PruneCounts> done) override;

  std::vector<Call> list_calls(const CallQuery& query) override;
  std::vector<StatusEvent> list_events(const EventQuery& query) override;
  std::optional<Call> find_call(const std::string& client_id, const std::string& call_id) override;
  std::optional<CallDetail> find_call_detail(const std::string& client_id,
                                             const std::string& call_id) override;

  void announce_to(ChangeSink* sink) override;
  void close() override;

  const SqliteOptions& options() const noexcept { return options_; }

 private:
  class Writer;

  void writer_loop();
  void commit_batch(Writer& writer, WriteBatch& batch);
  bool run_batch(Writer& writer, WriteBatch& batch, bool isolate);
  void complete(WriteBatch batch, std::chrono::steady_clock::time_point started);

  SqliteOptions options_;
  StoreObserver observer_;
  std::unique_ptr<sqlite::DatabaseLock> lock_;  // outlives every connection below
  std::unique_ptr<sqlite::Database> writer_db_;
  std::unique_ptr<sqlite::WalSyncer> syncer_;  // only with SyncMode::full

  WriteQueue queue_;
  std::atomic<ChangeSink*> sink_{nullptr};
  std::thread writer_;
  ReaderPool<sqlite::CallReader> readers_;
};

}  // namespace vapidash
