#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
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

struct WriteFailure {
  std::string message;
};

template <class T>
using WriteResult = std::variant<T, WriteFailure>;

template <class T>
using WriteCallback = std::function<void(WriteResult<T>)>;

// Where calls and timelines live. Writes complete asynchronously once durable; reads are synchronous and
// never wait for the writer. Narrow on purpose, so another engine can implement it without touching handlers.
class Store {
 public:
  virtual ~Store() = default;

  // `done` runs exactly once, after the commit is durable, on a store thread: completions run one at a time,
  // in commit order.
  virtual void apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) = 0;
  virtual void log_event(EventRecord record, WriteCallback<StatusEvent> done) = 0;  // the entry as logged

  virtual std::vector<Call> list_calls(const CallQuery& query) = 0;  // newest first
  virtual std::vector<StatusEvent> list_events(const EventQuery& query) = 0;
  virtual std::optional<Call> find_call(const std::string& client_id, const std::string& call_id) = 0;
  virtual std::optional<CallDetail> find_call_detail(const std::string& client_id,
                                                     const std::string& call_id) = 0;

  // Completes every accepted write, then stops the writer. Idempotent.
  virtual void close() = 0;
};

}  // namespace vapidash
