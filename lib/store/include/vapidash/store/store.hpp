#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "vapidash/model/call.hpp"
#include "vapidash/model/call_update.hpp"
#include "vapidash/model/status_event.hpp"

namespace vapidash {

struct CallQuery {
  std::string client_id;
  std::optional<std::int64_t> limit;     // nullopt: every call
  std::optional<std::string> status;     // only calls in this status
  std::optional<std::string> before;     // only calls created strictly before this timestamp,
  std::optional<std::string> before_id;  // and those created at `before` but listed after this call
};

// One call's timeline, oldest first; a page of it when `after_id` or `limit` is set.
struct EventQuery {
  std::string client_id;
  std::string call_id;
  std::int64_t after_id = 0;          // only events with a larger id
  std::optional<std::int64_t> limit;  // nullopt: every event
};

// One step of retention: calls of one tenant (or all) that ended before `ended_before` are removed with
// their timelines (events, transcript lines, delivery keys), at most `max_rows` rows per step so that no
// step holds the write lock for long. Calls that have not ended are never touched.
struct PruneRequest {
  std::string ended_before;  // a stored timestamp (format_timestamp)
  std::optional<std::string> client_id;
  std::int64_t max_rows = 1000;
};

// What was removed (or, counted for a dry run, would be).
struct PruneCounts {
  std::int64_t calls = 0;
  std::int64_t events = 0;
  std::int64_t transcript_lines = 0;
  std::int64_t delivery_keys = 0;
  bool finished = false;  // nothing more to remove for this request

  std::int64_t rows() const noexcept { return calls + events + transcript_lines + delivery_keys; }
  PruneCounts& operator+=(const PruneCounts& more) noexcept {
    calls += more.calls;
    events += more.events;
    transcript_lines += more.transcript_lines;
    delivery_keys += more.delivery_keys;
    finished = more.finished;
    return *this;
  }
};

struct WriteFailure {
  std::string message;
};

template <class T>
using WriteResult = std::variant<T, WriteFailure>;

template <class T>
using WriteCallback = std::function<void(WriteResult<T>)>;

// Where a store tells what it committed, so that every dashboard, on whichever server, hears each change
// once, and a call's changes in commit order.
class ChangeSink {
 public:
  virtual ~ChangeSink() = default;
  virtual void call_changed(const CallUpdateOutcome& outcome, const std::string& cause) = 0;
  virtual void event_logged(const StatusEvent& event) = 0;
  // Some changes may not have been told (the store lost its notification stream): every dashboard must
  // start over from the database.
  virtual void changes_missed(const std::string& why) = 0;
};

// Whether the store can serve, part by part ("database", "listener"): "ok", or why not.
struct StoreHealth {
  bool ok = true;
  std::vector<std::pair<std::string, std::string>> parts;
};

// One figure for /metrics, named and explained by the store that keeps it.
struct StoreFigure {
  std::string name;
  std::string help;
  std::string type;        // "gauge" or "counter"
  std::int64_t value = 0;  // every figure is a count
};

// What the store reports as it works, for metrics. Either may be empty; both are called from store threads.
struct StoreObserver {
  // Each group commit: how many writes it carried and how long until they were durable.
  std::function<void(std::size_t writes, std::chrono::microseconds took)> on_commit;
  // Each fdatasync of the WAL that succeeded (SQLite with SyncMode::full only: normal never syncs before
  // acknowledging).
  std::function<void()> on_wal_sync;
};

// Where calls and timelines live. Writes complete asynchronously once durable; reads are synchronous and
// never wait for the writer. Narrow on purpose, so another engine can implement it without touching handlers.
class Store {
 public:
  virtual ~Store() = default;

  // `done` runs exactly once, after the commit is durable, on a store thread: completions run one at a time,
  // in commit order.
  virtual void apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) = 0;
  virtual void log_event(EventRecord record, WriteCallback<StatusEvent> done) = 0;  // the entry as logged
  // One step of retention, queued with the writes: a step is small, so writes keep their latency.
  virtual void prune(PruneRequest request, WriteCallback<PruneCounts> done) = 0;

  virtual std::vector<Call> list_calls(const CallQuery& query) = 0;  // newest first
  virtual std::vector<StatusEvent> list_events(const EventQuery& query) = 0;
  virtual std::optional<Call> find_call(const std::string& client_id, const std::string& call_id) = 0;
  virtual std::optional<CallDetail> find_call_detail(const std::string& client_id,
                                                     const std::string& call_id) = 0;

  // Where committed changes are told, from now on (nullptr: nowhere). Each is told before its write
  // completes, or, by a store that several servers share, once the change comes back from the database.
  virtual void announce_to(ChangeSink* sink) = 0;
  virtual StoreHealth health() { return {}; }
  // False while announcements cannot be made (a shared store's change stream is down): a feed opened now
  // would miss changes, so none is admitted.
  virtual bool announcing() const { return true; }
  virtual std::vector<StoreFigure> figures() { return {}; }

  // Completes every accepted write, then stops the writer. Idempotent.
  virtual void close() = 0;
};

}  // namespace vapidash
