#include "vapidash/store/pg_store.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

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
  PruneCounts prune(const PruneRequest& request) override {
    rows_.forget_timelines();  // the step may remove timelines the batch looked up
    return pruner_.step(request);
  }

  void call_changed(const CallUpdateOutcome& outcome, const std::string& cause) override {
    notify(announce_call_change(outcome, cause));
  }
  void event_logged(const StatusEvent& event) override { notify(announce_event(event)); }
  void changes_missed(const std::string&) override {}

  pg::Connection& db() noexcept { return db_; }

  // A new attempt at a batch: what an attempt that rolled back looked up or announced is gone.
  void begin_attempt() {
    rows_.forget_timelines();
    announcements_.clear();
    stored_ = 0;
  }
  // Sends the batch's announcements, in order, in one statement of its transaction.
  void send_announcements() {
    if (announcements_.empty()) return;
    db_.run("SELECT pg_notify($1, a) FROM unnest($2::text[]) WITH ORDINALITY AS t(a, n) ORDER BY n",
            {pg::changes_channel, pg::text_array(announcements_)});
  }
  // Where a write began, so that a write rolled back to its savepoint takes its announcements with it.
  struct Mark {
    std::size_t announcements = 0;
    std::uint64_t stored = 0;
  };
  Mark mark() const noexcept { return {announcements_.size(), stored_}; }
  void rewind(Mark mark) {
    announcements_.resize(mark.announcements);
    stored_ = mark.stored;
    rows_.forget_timelines();
  }
  std::uint64_t announced() const noexcept { return announcements_.size(); }
  std::uint64_t stored() const noexcept { return stored_; }

  // Announcements older than an hour have been heard, or their listener has long since restarted.
  void forget_old_announcements() {
    db_.run("DELETE FROM announcements WHERE created_at < now() - interval '1 hour'", {});
    db_.run("DELETE FROM batch_tokens WHERE committed_at < now() - interval '1 hour'", {});
  }

 private:
  void notify(std::string announcement) {
    if (announcement.size() < max_notify_payload) {
      announcements_.push_back(std::move(announcement));
      return;
    }
    ++stored_;
    auto stored = db_.run("INSERT INTO announcements (payload) VALUES ($1) RETURNING id", {announcement});
    announcements_.push_back(announce_reference(stored.integer(0, 0)));
  }

  pg::Connection db_;
  pg::PgCallRows rows_;
  CallWriter writer_;
  pg::PgPruneRows prune_rows_;
  CallPruner pruner_;
  std::vector<std::string> announcements_;
  std::uint64_t stored_ = 0;
};

// One writer thread with its connection and queue. A server runs several, each taking the calls whose keys
// hash to it, so a call's writes stay in order on one lane while other calls commit alongside.
struct PgStore::Lane {
  explicit Lane(std::size_t max_batch) : queue(max_batch), random(std::random_device{}()) {}
  // A name for one batch's transaction, unique across servers: 128 random bits.
  std::string next_token() {
    std::array<char, 33> text{};
    std::snprintf(text.data(), text.size(), "%016llx%016llx", static_cast<unsigned long long>(random()),
                  static_cast<unsigned long long>(random()));
    return text.data();
  }
  WriteQueue queue;
  std::mt19937_64 random;
  std::unique_ptr<Writer> writer;  // nullptr while the database cannot be reached
  std::thread thread;
};

PgStore::PgStore(PgOptions options, StoreObserver observer)
    : options_(std::move(options)),
      observer_(std::move(observer)),
      target_(options_.conninfo),
      readers_([this] { return std::make_unique<pg::PgCallReader>(target_); }) {
  for (std::size_t i = 0; i < std::max<std::size_t>(options_.writers, 1); ++i) {
    lanes_.push_back(std::make_unique<Lane>(options_.max_batch));
    lanes_.back()->writer = std::make_unique<Writer>(target_);
  }
  pg::migrate(lanes_.front()->writer->db());
  listener_ = std::make_unique<pg::ChangeListener>(target_, options_.reconnect_delay);
  for (auto& lane : lanes_) lane->thread = std::thread([this, lane = lane.get()] { writer_loop(*lane); });
}

PgStore::~PgStore() {
  close();
}

void PgStore::apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) {
  enqueue(make_write_job(std::move(update), std::move(done)));
}

void PgStore::log_event(EventRecord record, WriteCallback<StatusEvent> done) {
  enqueue(make_write_job(std::move(record), std::move(done)));
}

void PgStore::prune(PruneRequest request, WriteCallback<PruneCounts> done) {
  enqueue(make_write_job(std::move(request), std::move(done)));
}

void PgStore::enqueue(std::unique_ptr<WriteJob> job) {
  const auto lane = std::hash<std::string>{}(job->lock_order()) % lanes_.size();
  lanes_[lane]->queue.push(std::move(job));
}

void PgStore::announce_to(ChangeSink* sink) {
  if (listener_) listener_->tell(sink);
}

void PgStore::close() {
  for (auto& lane : lanes_) lane->queue.close();
  for (auto& lane : lanes_) {
    if (lane->thread.joinable()) lane->thread.join();
  }
  if (listener_) listener_->stop();
}

void PgStore::writer_loop(Lane& lane) {
  auto forgotten = std::chrono::steady_clock::now();
  const bool forgets = &lane == lanes_.front().get();
  for (auto batch = lane.queue.next_batch(); !batch.empty(); batch = lane.queue.next_batch()) {
    commit_batch(lane, batch);
    if (forgets && lane.writer && std::chrono::steady_clock::now() - forgotten > std::chrono::minutes(1)) {
      forgotten = std::chrono::steady_clock::now();
      try {
        lane.writer->forget_old_announcements();
      } catch (const store_error&) {
        // Tried again a minute later; a broken connection is replaced by the next batch.
      }
    }
  }
}

// Locks are taken in one order (the calls' keys) by every server, so batches never deadlock on each other;
// a deadlock or serialization failure that happens anyway runs the batch again. Writes rarely fail, so a
// batch first runs without savepoints; if one write fails, the batch runs again with a savepoint around each
// write, so only the failing write is refused.
void PgStore::commit_batch(Lane& lane, WriteBatch& batch) {
  const auto started = std::chrono::steady_clock::now();
  std::stable_sort(batch.begin(), batch.end(),
                   [](const auto& a, const auto& b) { return a->lock_order() < b->lock_order(); });
  std::optional<std::string> failure;
  bool isolate = false;
  const auto token = lane.next_token();
  for (int attempt = 1;; ++attempt) {
    bool fresh = false;
    try {
      if (!lane.writer || lane.writer->db().broken()) {
        fresh = true;  // a connection that cannot even be opened is not tried again for this batch
        lane.writer = std::make_unique<Writer>(target_);
      }
      if (!run_batch(*lane.writer, batch, isolate, token)) {
        isolate = true;
        continue;
      }
      break;
    } catch (const pg::retry_transaction& e) {
      ++write_retries_;
      if (attempt < max_batch_attempts) continue;
      failure = e.what();
    } catch (const store_unavailable& e) {
      // A connection that sat idle may have died with a restart of PostgreSQL: nothing was committed on it,
      // so the batch runs again once on a new one.
      lane.writer.reset();
      if (!fresh && attempt < max_batch_attempts) continue;
      failure = std::string("the database cannot be reached: ") + e.what();
    } catch (const pg::commit_unknown& e) {
      lane.writer.reset();
      failure = settle(token, e.what());
    } catch (const store_error& e) {
      failure = e.what();
    }
    break;
  }
  if (lane.writer && !lane.writer->db().idle()) lane.writer.reset();  // a transaction it could not end
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

// One transaction for the batch, its writes announced inside it. Without isolation it stops at the first
// write that fails and returns false, rolled back; with isolation a failing write is rolled back to its
// savepoint and refused alone. Losing the connection or a deadlock fails the whole attempt (throws).
bool PgStore::run_batch(Writer& writer, WriteBatch& batch, bool isolate, const std::string& token) {
  auto& db = writer.db();
  writer.begin_attempt();
  pg::Transaction transaction(db);
  for (auto& job : batch) {
    const auto mark = writer.mark();
    if (isolate) db.exec("SAVEPOINT job");
    try {
      job->execute(writer);
      job->announce(writer);
      if (isolate) db.exec("RELEASE SAVEPOINT job");
    } catch (const pg::retry_transaction&) {
      throw;
    } catch (const store_unavailable&) {
      throw;
    } catch (const std::exception& e) {
      if (!isolate) return false;
      db.exec("ROLLBACK TO SAVEPOINT job");
      writer.rewind(mark);
      job->fail(e.what());
    }
  }
  writer.send_announcements();
  db.run("INSERT INTO batch_tokens (token) VALUES ($1)", {token});
  transaction.commit();
  notifications_sent_ += writer.announced();
  notifications_stored_ += writer.stored();
  return true;
}

// A pooled connection that sat idle may have died with a restart of PostgreSQL, and its siblings with it:
// they are dropped and the read runs once more on a new connection.
template <class Read>
auto PgStore::read(const Read& query) {
  try {
    return query(*readers_.lease());
  } catch (const store_unavailable&) {
    readers_.discard_idle();
  }
  return query(*readers_.lease());
}

// The connection broke while COMMIT was on its way: the batch's token, written in its transaction, says
// whether it committed. Nothing when it did; why the writes failed when it did not or cannot be told.
std::optional<std::string> PgStore::settle(const std::string& token, const std::string& unknown) {
  try {
    if (read([&](pg::PgCallReader& reader) { return reader.committed(token); })) return std::nullopt;
    return "the connection to PostgreSQL broke during COMMIT and the writes were not stored: retry";
  } catch (const store_error&) {
    return unknown;
  }
}

std::vector<Call> PgStore::list_calls(const CallQuery& query) {
  return read([&](pg::PgCallReader& reader) { return reader.list_calls(query); });
}

std::vector<StatusEvent> PgStore::list_events(const EventQuery& query) {
  return read([&](pg::PgCallReader& reader) { return reader.list_events(query); });
}

std::optional<Call> PgStore::find_call(const std::string& client_id, const std::string& call_id) {
  return read([&](pg::PgCallReader& reader) { return reader.find_call(client_id, call_id); });
}

std::optional<CallDetail> PgStore::find_call_detail(const std::string& client_id,
                                                    const std::string& call_id) {
  return read([&](pg::PgCallReader& reader) { return reader.find_call_detail(client_id, call_id); });
}

bool PgStore::announcing() const {
  return listener_->up();
}

StoreHealth PgStore::health() {
  StoreHealth health;
  try {
    read([](pg::PgCallReader& reader) { return reader.find_call("", ""); });
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
  const auto count = [](std::uint64_t value) { return static_cast<std::int64_t>(value); };
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
      {"vapidash_pg_listener_up", "1 while the LISTEN connection is up.", "gauge", listener_->up() ? 1 : 0},
      {"vapidash_pg_listener_reconnects_total", "Times the LISTEN connection was re-established.", "counter",
       count(listener_->reconnects())},
  };
}

}  // namespace vapidash
