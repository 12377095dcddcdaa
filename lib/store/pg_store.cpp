#include "vapidash/store/pg_store.hpp"

#include <algorithm>

#include "vapidash/store/announcement.hpp"
#include "vapidash/store/call_pruner.hpp"
#include "vapidash/store/call_writer.hpp"
#include "vapidash/store/pg_call_reader.hpp"
#include "vapidash/store/pg_call_rows.hpp"
#include "vapidash/store/pg_listener.hpp"
#include "vapidash/store/pg_schema.hpp"

namespace vapidash {

namespace {

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; larger announcements travel by reference.
constexpr std::size_t max_notify_payload = 7900;
// A batch that deadlocked or failed to serialise is run again this many times before its writes fail.
constexpr int max_batch_attempts = 5;

}  // namespace

// The writer's connection: SQL from PgCallRows, merge rules from CallWriter, and each change announced
// inside the transaction that commits it.
class PgStore::Writer final : public WriteTarget, public ChangeSink {
 public:
  explicit Writer(const pg::ConnectionTarget& target)
      : db_(target), rows_(db_), writer_(rows_), prune_rows_(db_), pruner_(prune_rows_) {}

  CallUpdateOutcome apply(const CallUpdate& update) override { return writer_.apply(update); }
  StatusEvent log_event(const EventRecord& record) override { return writer_.log_event(record); }
  PruneCounts prune(const PruneRequest& request) override { return pruner_.step(request); }

  void call_changed(const CallUpdateOutcome& outcome, const std::string& cause) override {
    notify(announce_call_change(outcome, cause));
  }
  void event_logged(const StatusEvent& event) override { notify(announce_event(event)); }
  void changes_missed(const std::string&) override {}

  pg::Connection& db() noexcept { return db_; }
  std::uint64_t take_notified() noexcept { return std::exchange(notified_, 0); }
  std::uint64_t take_stored() noexcept { return std::exchange(stored_, 0); }

  // Announcements older than an hour have been heard, or their listener has long since restarted.
  void forget_old_announcements() {
    db_.run("DELETE FROM announcements WHERE created_at < now() - interval '1 hour'", {});
  }

 private:
  void notify(const std::string& announcement) {
    ++notified_;
    if (announcement.size() < max_notify_payload) {
      db_.run("SELECT pg_notify($1, $2)", {pg::changes_channel, announcement});
      return;
    }
    ++stored_;
    auto stored = db_.run("INSERT INTO announcements (payload) VALUES ($1) RETURNING id", {announcement});
    db_.run("SELECT pg_notify($1, $2)", {pg::changes_channel, announce_reference(stored.integer(0, 0))});
  }

  pg::Connection db_;
  pg::PgCallRows rows_;
  CallWriter writer_;
  pg::PgPruneRows prune_rows_;
  CallPruner pruner_;
  std::uint64_t notified_ = 0;
  std::uint64_t stored_ = 0;
};

PgStore::PgStore(PgOptions options, StoreObserver observer)
    : options_(std::move(options)),
      observer_(std::move(observer)),
      target_(options_.conninfo),
      writer_(std::make_unique<Writer>(target_)),
      queue_(options_.max_batch),
      readers_([this] { return std::make_unique<pg::PgCallReader>(target_); }) {
  pg::migrate(writer_->db());
  listener_ = std::make_unique<pg::ChangeListener>(target_, options_.reconnect_delay);
  writer_thread_ = std::thread([this] { writer_loop(); });
}

PgStore::~PgStore() {
  close();
}

void PgStore::apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) {
  queue_.push(make_write_job(std::move(update), std::move(done)));
}

void PgStore::log_event(EventRecord record, WriteCallback<StatusEvent> done) {
  queue_.push(make_write_job(std::move(record), std::move(done)));
}

void PgStore::prune(PruneRequest request, WriteCallback<PruneCounts> done) {
  queue_.push(make_write_job(std::move(request), std::move(done)));
}

void PgStore::announce_to(ChangeSink* sink) {
  if (listener_) listener_->tell(sink);
}

void PgStore::close() {
  queue_.close();
  if (writer_thread_.joinable()) writer_thread_.join();
  if (listener_) listener_->stop();
}

void PgStore::writer_loop() {
  auto forgotten = std::chrono::steady_clock::now();
  for (auto batch = queue_.next_batch(); !batch.empty(); batch = queue_.next_batch()) {
    commit_batch(batch);
    if (writer_ && std::chrono::steady_clock::now() - forgotten > std::chrono::minutes(1)) {
      forgotten = std::chrono::steady_clock::now();
      try {
        writer_->forget_old_announcements();
      } catch (const store_error&) {
        // Tried again a minute later; a broken connection is replaced by the next batch.
      }
    }
  }
}

// Locks are taken in one order (the calls' keys) by every server, so batches never deadlock on each other;
// a deadlock or serialization failure that happens anyway runs the batch again.
void PgStore::commit_batch(WriteBatch& batch) {
  const auto started = std::chrono::steady_clock::now();
  std::stable_sort(batch.begin(), batch.end(),
                   [](const auto& a, const auto& b) { return a->lock_order() < b->lock_order(); });
  std::optional<std::string> failure;
  for (int attempt = 1;; ++attempt) {
    try {
      if (!writer_ || writer_->db().broken()) writer_ = std::make_unique<Writer>(target_);
      run_batch(*writer_, batch);
      break;
    } catch (const pg::retry_transaction& e) {
      ++write_retries_;
      if (attempt < max_batch_attempts) continue;
      failure = e.what();
    } catch (const store_unavailable& e) {
      writer_.reset();
      failure = std::string("the database cannot be reached: ") + e.what();
    } catch (const store_error& e) {
      failure = e.what();
    }
    break;
  }
  if (failure) {
    ++failed_batches_;
    for (auto& job : batch) job->fail(*failure);
  } else {
    ++commits_;
    if (observer_.on_commit) {
      observer_.on_commit(batch.size(), std::chrono::duration_cast<std::chrono::microseconds>(
                                            std::chrono::steady_clock::now() - started));
    }
  }
  for (auto& job : batch) job->complete();
}

// One transaction for the batch, each write announced inside it. A write that fails is rolled back to its
// savepoint and refused alone; losing the connection or a deadlock fails the whole attempt.
void PgStore::run_batch(Writer& writer, WriteBatch& batch) {
  auto& db = writer.db();
  writer.take_notified();  // what an attempt that rolled back announced was never sent
  writer.take_stored();
  pg::Transaction transaction(db);
  for (auto& job : batch) {
    db.exec("SAVEPOINT job");
    try {
      job->execute(writer);
      job->announce(writer);
      db.exec("RELEASE SAVEPOINT job");
    } catch (const pg::retry_transaction&) {
      throw;
    } catch (const store_unavailable&) {
      throw;
    } catch (const std::exception& e) {
      db.exec("ROLLBACK TO SAVEPOINT job");
      job->fail(e.what());
    }
  }
  transaction.commit();
  notifications_sent_ += writer.take_notified();
  notifications_stored_ += writer.take_stored();
}

std::vector<Call> PgStore::list_calls(const CallQuery& query) {
  return readers_.lease()->list_calls(query);
}

std::vector<StatusEvent> PgStore::list_events(const EventQuery& query) {
  return readers_.lease()->list_events(query);
}

std::optional<Call> PgStore::find_call(const std::string& client_id, const std::string& call_id) {
  return readers_.lease()->find_call(client_id, call_id);
}

std::optional<CallDetail> PgStore::find_call_detail(const std::string& client_id,
                                                    const std::string& call_id) {
  return readers_.lease()->find_call_detail(client_id, call_id);
}

StoreHealth PgStore::health() {
  StoreHealth health;
  try {
    readers_.lease()->find_call("", "");
    health.parts.emplace_back("database", "ok");
  } catch (const store_error& e) {
    health.ok = false;
    health.parts.emplace_back("database", e.what());
  }
  const auto listening = listener_->state();
  if (listening != "ok") health.ok = false;
  health.parts.emplace_back("listener", listening);
  return health;
}

std::vector<StoreFigure> PgStore::figures() {
  const auto count = [](std::uint64_t value) { return static_cast<double>(value); };
  return {
      {"vapidash_pg_read_connections", "Open read connections to PostgreSQL.", "gauge",
       count(readers_.open_count())},
      {"vapidash_pg_read_connections_idle", "Read connections waiting in the pool.", "gauge",
       count(readers_.idle_count())},
      {"vapidash_pg_commits_total", "Batches this server committed.", "counter", count(commits_)},
      {"vapidash_pg_failed_batches_total", "Batches whose writes were refused (503).", "counter",
       count(failed_batches_)},
      {"vapidash_pg_batch_retries_total", "Batches run again after a deadlock or serialization failure.",
       "counter", count(write_retries_)},
      {"vapidash_pg_notifications_sent_total", "Changes this server announced with NOTIFY.", "counter",
       count(notifications_sent_)},
      {"vapidash_pg_notifications_by_reference_total",
       "Announcements too large for NOTIFY, stored and sent by reference.", "counter",
       count(notifications_stored_)},
      {"vapidash_pg_notifications_received_total", "Announcements this server's listener received.",
       "counter", count(listener_->received())},
      {"vapidash_pg_listener_up", "1 while the LISTEN connection is up.", "gauge",
       listener_->up() ? 1.0 : 0.0},
      {"vapidash_pg_listener_reconnects_total", "Times the LISTEN connection was re-established.", "counter",
       count(listener_->reconnects())},
  };
}

}  // namespace vapidash
