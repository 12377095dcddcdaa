#include "vapidash/store/sqlite_store.hpp"

#include "vapidash/error.hpp"
#include "vapidash/store/call_pruner.hpp"
#include "vapidash/store/call_reader.hpp"
#include "vapidash/store/call_writer.hpp"
#include "vapidash/store/database_lock.hpp"
#include "vapidash/store/schema.hpp"
#include "vapidash/store/sqlite_call_rows.hpp"
#include "vapidash/store/sqlite_db.hpp"
#include "vapidash/store/wal_syncer.hpp"

#include <sqlite3.h>
#include <unistd.h>

namespace vapidash {

// The writer's view of the file: SQL on its connection, merge rules from CallWriter.
class SqliteStore::Writer final : public WriteTarget {
 public:
  explicit Writer(sqlite::Database& db)
      : db_(db), rows_(db), writer_(rows_), prune_rows_(db), pruner_(prune_rows_) {}
  CallUpdateOutcome apply(const CallUpdate& update) override { return writer_.apply(update); }
  StatusEvent log_event(const EventRecord& record) override { return writer_.log_event(record); }
  PruneCounts prune(const PruneRequest& request) override { return pruner_.step(request); }
  sqlite::Database& db() noexcept { return db_; }

 private:
  sqlite::Database& db_;
  sqlite::SqliteCallRows rows_;
  CallWriter writer_;
  sqlite::SqlitePruneRows prune_rows_;
  CallPruner pruner_;
};

namespace {

// SQLite's error, prefixed with the path it concerns, and said plainly when the file is not a database.
std::string open_failure(const std::string& path, sqlite3* db, const store_error& error) {
  const int code = db != nullptr ? sqlite3_errcode(db) : SQLITE_OK;
  if (code == SQLITE_NOTADB) {
    return "the database " + path + " is not an SQLite database (" + sqlite3_errstr(code) +
           "): point at a vapidash database or at a new file";
  }
  return "cannot open the database " + path + ": " + error.what();
}

// The writer's connection in WAL mode, its schema up to date.
std::unique_ptr<sqlite::Database> open_writer(const std::string& path) {
  std::unique_ptr<sqlite::Database> db;
  try {
    db = std::make_unique<sqlite::Database>(path, false);
    db->exec("PRAGMA journal_mode = WAL");
    // Even with SyncMode::full, COMMIT itself does not fsync: the WalSyncer does, overlapping the next
    // batch. NORMAL still syncs the WAL before every checkpoint and the database after it, so nothing
    // acknowledged can be lost when a checkpoint recycles the WAL.
    db->exec("PRAGMA synchronous = NORMAL");
    sqlite::migrate(*db);
  } catch (const store_error& e) {
    throw store_error(open_failure(path, db ? db->handle() : nullptr, e));
  }
  return db;
}

}  // namespace

SqliteStore::SqliteStore(SqliteOptions options, StoreObserver observer)
    : options_(std::move(options)),
      observer_(std::move(observer)),
      lock_(std::make_unique<sqlite::DatabaseLock>(options_.path)),
      writer_db_(open_writer(options_.path)),
      queue_(options_.max_batch),
      readers_([path = options_.path] { return std::make_unique<sqlite::CallReader>(path); }) {
  if (options_.sync == SyncMode::full) {
    syncer_ = std::make_unique<sqlite::WalSyncer>(
        sqlite3_filename_wal(sqlite3_db_filename(writer_db_->handle(), "main")), 2, [this](int fd) {
          const int result = ::fdatasync(fd);
          if (result == 0 && observer_.on_wal_sync) observer_.on_wal_sync();
          return result;
        });
  }
  writer_ = std::thread([this] { writer_loop(); });
}

SqliteStore::~SqliteStore() {
  close();
}

void SqliteStore::apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) {
  queue_.push(make_write_job(std::move(update), std::move(done)));
}

void SqliteStore::log_event(EventRecord record, WriteCallback<StatusEvent> done) {
  queue_.push(make_write_job(std::move(record), std::move(done)));
}

void SqliteStore::prune(PruneRequest request, WriteCallback<PruneCounts> done) {
  queue_.push(make_write_job(std::move(request), std::move(done)));
}

void SqliteStore::announce_to(ChangeSink* sink) {
  sink_.store(sink);
}

void SqliteStore::close() {
  queue_.close();
  if (writer_.joinable()) writer_.join();
  if (syncer_) syncer_->close();
}

void SqliteStore::writer_loop() {
  Writer writer(*writer_db_);
  for (auto batch = queue_.next_batch(); !batch.empty(); batch = queue_.next_batch()) {
    commit_batch(writer, batch);
  }
}

// One transaction for the whole batch. Writes rarely fail, so the batch first runs without savepoints; if a
// write throws, the transaction is rolled back and the batch runs again with a savepoint around each write,
// so only the failing write is refused.
void SqliteStore::commit_batch(Writer& writer, WriteBatch& batch) {
  const auto started = std::chrono::steady_clock::now();
  try {
    if (!run_batch(writer, batch, false)) run_batch(writer, batch, true);
  } catch (const std::exception& e) {
    for (auto& job : batch) job->fail(std::string("the commit failed: ") + e.what());
  }
  complete(std::move(batch), started);
}

// Executes every job in one transaction and commits it. Without isolation it stops at the first failing job
// and returns false, rolled back; with isolation a failing job is rolled back to its savepoint and marked
// failed, and the others commit.
bool SqliteStore::run_batch(Writer& writer, WriteBatch& batch, bool isolate) {
  sqlite::Transaction transaction(writer.db());
  for (auto& job : batch) {
    try {
      if (!isolate) {
        job->execute(writer);
        continue;
      }
      sqlite::Savepoint savepoint(transaction);
      job->execute(writer);
      savepoint.release();
    } catch (const std::exception& e) {
      if (!isolate) return false;
      job->fail(e.what());
    }
  }
  transaction.commit();
  return true;
}

// A failed batch goes through the syncer too, so completions keep commit order.
void SqliteStore::complete(WriteBatch batch, std::chrono::steady_clock::time_point started) {
  auto finish = [this, started](WriteBatch& jobs, const std::optional<std::string>& failure) {
    if (observer_.on_commit) {
      observer_.on_commit(jobs.size(), std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - started));
    }
    auto* sink = sink_.load();
    for (auto& job : jobs) {
      if (failure)
        job->fail("the commit is not durable, restart vapidash once the disk is healthy: " + *failure);
      if (sink != nullptr) job->announce(*sink);
      job->complete();
    }
  };
  if (!syncer_) return finish(batch, std::nullopt);
  auto shared = std::make_shared<WriteBatch>(std::move(batch));
  syncer_->submit([shared, finish](std::optional<std::string> failure) { finish(*shared, failure); });
}

std::vector<Call> SqliteStore::list_calls(const CallQuery& query) {
  return readers_.lease()->list_calls(query);
}

std::vector<StatusEvent> SqliteStore::list_events(const EventQuery& query) {
  return readers_.lease()->list_events(query);
}

std::optional<Call> SqliteStore::find_call(const std::string& client_id, const std::string& call_id) {
  return readers_.lease()->find_call(client_id, call_id);
}

std::optional<CallDetail> SqliteStore::find_call_detail(const std::string& client_id,
                                                        const std::string& call_id) {
  return readers_.lease()->find_call_detail(client_id, call_id);
}

}  // namespace vapidash
