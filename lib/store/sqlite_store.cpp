#include "vapidash/store/sqlite_store.hpp"

#include "vapidash/error.hpp"
#include "vapidash/store/call_reader.hpp"
#include "vapidash/store/call_writer.hpp"
#include "vapidash/store/database_lock.hpp"
#include "vapidash/store/schema.hpp"
#include "vapidash/store/sqlite_db.hpp"
#include "vapidash/store/wal_syncer.hpp"

#include <sqlite3.h>
#include <unistd.h>

namespace vapidash {

// A queued write: executed inside the batch transaction, completed after the batch commits.
class SqliteStore::Job {
 public:
  virtual ~Job() = default;
  virtual void execute(sqlite::CallWriter& writer) = 0;
  virtual void fail(std::string message) = 0;
  virtual void complete() = 0;
};

template <class Op, class Result>
class SqliteStore::TypedJob final : public Job {
 public:
  TypedJob(Op op, WriteCallback<Result> done) : op_(std::move(op)), done_(std::move(done)) {}

  void execute(sqlite::CallWriter& writer) override {
    if constexpr (std::is_same_v<Op, CallUpdate>) {
      result_ = writer.apply(op_);
    } else if constexpr (std::is_same_v<Op, PruneRequest>) {
      result_ = writer.prune(op_);
    } else {
      result_ = writer.log_event(op_);
    }
  }
  void fail(std::string message) override { result_ = WriteFailure{std::move(message)}; }
  void complete() override { done_(std::move(result_)); }

 private:
  Op op_;
  WriteCallback<Result> done_;
  WriteResult<Result> result_ = WriteFailure{"not executed"};
};

// Hands a pooled read connection to one caller and returns it to the pool afterwards.
class SqliteStore::ReaderLease {
 public:
  ReaderLease(SqliteStore& store, std::unique_ptr<sqlite::CallReader> reader)
      : store_(store), reader_(std::move(reader)) {}
  ~ReaderLease() {
    std::lock_guard lock(store_.readers_mutex_);
    store_.idle_readers_.push_back(std::move(reader_));
  }
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;
  sqlite::CallReader* operator->() const noexcept { return reader_.get(); }

 private:
  SqliteStore& store_;
  std::unique_ptr<sqlite::CallReader> reader_;
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
      writer_db_(open_writer(options_.path)) {
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
  enqueue(std::make_unique<TypedJob<CallUpdate, CallUpdateOutcome>>(std::move(update), std::move(done)));
}

void SqliteStore::log_event(EventRecord record, WriteCallback<StatusEvent> done) {
  enqueue(std::make_unique<TypedJob<EventRecord, StatusEvent>>(std::move(record), std::move(done)));
}

void SqliteStore::prune(PruneRequest request, WriteCallback<PruneCounts> done) {
  enqueue(std::make_unique<TypedJob<PruneRequest, PruneCounts>>(std::move(request), std::move(done)));
}

void SqliteStore::enqueue(std::unique_ptr<Job> job) {
  {
    std::lock_guard lock(queue_mutex_);
    if (!closing_) {
      queue_.push_back(std::move(job));
      queue_ready_.notify_one();
      return;
    }
  }
  job->fail("the store is closed");
  job->complete();
}

void SqliteStore::close() {
  {
    std::lock_guard lock(queue_mutex_);
    closing_ = true;
  }
  queue_ready_.notify_one();
  if (writer_.joinable()) writer_.join();
  if (syncer_) syncer_->close();
}

void SqliteStore::writer_loop() {
  sqlite::CallWriter writer(*writer_db_);
  std::vector<std::unique_ptr<Job>> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and every accepted write is done
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(writer, batch);
    batch = Batch();
  }
}

// One transaction for the whole batch. Writes rarely fail, so the batch first runs without savepoints; if a
// write throws, the transaction is rolled back and the batch runs again with a savepoint around each write,
// so only the failing write is refused.
void SqliteStore::commit_batch(sqlite::CallWriter& writer, Batch& batch) {
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
bool SqliteStore::run_batch(sqlite::CallWriter& writer, Batch& batch, bool isolate) {
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
void SqliteStore::complete(Batch batch, std::chrono::steady_clock::time_point started) {
  auto finish = [this, started](Batch& jobs, const std::optional<std::string>& failure) {
    if (observer_.on_commit) {
      observer_.on_commit(jobs.size(), std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - started));
    }
    for (auto& job : jobs) {
      if (failure)
        job->fail("the commit is not durable, restart vapidash once the disk is healthy: " + *failure);
      job->complete();
    }
  };
  if (!syncer_) return finish(batch, std::nullopt);
  auto shared = std::make_shared<Batch>(std::move(batch));
  syncer_->submit([shared, finish](std::optional<std::string> failure) { finish(*shared, failure); });
}

SqliteStore::ReaderLease SqliteStore::lease_reader() {
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReaderLease(*this, std::move(reader));
    }
  }
  return ReaderLease(*this, std::make_unique<sqlite::CallReader>(options_.path));
}

std::vector<Call> SqliteStore::list_calls(const CallQuery& query) {
  return lease_reader()->list_calls(query);
}

std::vector<StatusEvent> SqliteStore::list_events(const EventQuery& query) {
  return lease_reader()->list_events(query);
}

std::optional<Call> SqliteStore::find_call(const std::string& client_id, const std::string& call_id) {
  return lease_reader()->find_call(client_id, call_id);
}

std::optional<CallDetail> SqliteStore::find_call_detail(const std::string& client_id,
                                                        const std::string& call_id) {
  return lease_reader()->find_call_detail(client_id, call_id);
}

}  // namespace vapidash
