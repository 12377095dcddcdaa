#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vapidash/store/pg_call_reader.hpp"
#include "vapidash/store/pg_connection.hpp"
#include "vapidash/store/reader_pool.hpp"
#include "vapidash/store/store.hpp"
#include "vapidash/store/write_jobs.hpp"

namespace vapidash {

namespace pg {
class ChangeListener;
}  // namespace pg

struct PgOptions {
  std::string conninfo;         // a libpq URI or key=value string
  std::size_t max_batch = 256;  // writes committed in one transaction at most
  std::size_t writers = 4;      // writer connections (lanes), each committing the calls whose keys hash to it
  std::chrono::milliseconds reconnect_delay{500};  // between the listener's attempts to reconnect
};

// The store several servers share: PostgreSQL. Each server has a few writer threads (lanes, each with its own
// connection and the calls whose keys hash to it) that commit queued writes in batches (group commit,
// synchronous_commit on: a write completes once its commit is durable), taking a per-call advisory lock
// first, in a fixed order, so two servers' writes of one call take turns and never deadlock on each other.
// Completions of different lanes run concurrently; a call's run in commit order. Every committed change is
// announced with NOTIFY in its transaction; every server LISTENs and tells its ChangeSink what arrives, its
// own changes included, so every dashboard hears each change once and a call's changes in commit order. A
// listener that loses its connection tells the sink that changes were missed (dashboards restart) and
// reconnects. Reads use a pool of connections.
class PgStore final : public Store {
 public:
  // Connects, migrates and starts listening; throws store_unavailable when the database cannot be reached,
  // store_error when it cannot be used (permissions, a newer schema).
  explicit PgStore(PgOptions options, StoreObserver observer = {});
  ~PgStore() override;
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  void apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) override;
  void log_event(EventRecord record, WriteCallback<StatusEvent> done) override;
  void prune(PruneRequest request, WriteCallback<PruneCounts> done) override;

  std::vector<Call> list_calls(const CallQuery& query) override;
  std::vector<StatusEvent> list_events(const EventQuery& query) override;
  std::optional<Call> find_call(const std::string& client_id, const std::string& call_id) override;
  std::optional<CallDetail> find_call_detail(const std::string& client_id,
                                             const std::string& call_id) override;

  void announce_to(ChangeSink* sink) override;
  StoreHealth health() override;
  bool announcing() const override;
  std::vector<StoreFigure> figures() override;
  void close() override;

  const pg::ConnectionTarget& target() const noexcept { return target_; }

 private:
  class Writer;
  struct Lane;

  void enqueue(std::unique_ptr<WriteJob> job);
  void writer_loop(Lane& lane);
  void commit_batch(Lane& lane, WriteBatch& batch);
  bool run_batch(Writer& writer, WriteBatch& batch, bool isolate, const std::string& token);
  std::optional<std::string> settle(const std::string& token, const std::string& unknown);
  template <class Read>
  auto read(const Read& query);

  PgOptions options_;
  StoreObserver observer_;
  pg::ConnectionTarget target_;
  ReaderPool<pg::PgCallReader> readers_;
  std::vector<std::unique_ptr<Lane>> lanes_;

  std::atomic<std::uint64_t> notifications_sent_{0};
  std::atomic<std::uint64_t> notifications_stored_{0};
  std::atomic<std::uint64_t> write_retries_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> failed_batches_{0};
  std::unique_ptr<pg::ChangeListener> listener_;
};

}  // namespace vapidash
