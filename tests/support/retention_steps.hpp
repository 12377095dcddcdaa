#pragma once

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>

#include "vapidash/store/store.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {

// Retention's test data and steps, for any engine.
inline constexpr auto retention_write_timeout = std::chrono::seconds(30);

template <class T>
T completed(const std::function<void(WriteCallback<T>)>& submit) {
  auto promise = std::make_shared<std::promise<WriteResult<T>>>();
  auto future = promise->get_future();
  submit([promise](WriteResult<T> result) { promise->set_value(std::move(result)); });
  if (future.wait_for(retention_write_timeout) != std::future_status::ready) {
    throw std::runtime_error("the write did not complete");
  }
  auto result = future.get();
  if (const auto* failure = std::get_if<WriteFailure>(&result)) throw std::runtime_error(failure->message);
  return std::get<T>(std::move(result));
}

// A webhook delivery for `call_id`, ended at `ended_at` when given, with a transcript line and a key.
inline CallUpdate delivery(const std::string& client_id, const std::string& call_id,
                           std::optional<std::string> ended_at, const std::string& key) {
  CallUpdate update;
  update.client_id = client_id;
  update.call_id = call_id;
  update.source = UpdateSource::webhook;
  update.status = ended_at ? "ended" : "in-progress";
  update.ended_at = std::move(ended_at);
  update.message_type = "status-update";
  update.event_payload = json{{"type", "status-update"}};
  update.transcript_line = TranscriptLine{"user", "hello " + key, std::nullopt};
  update.dedupe_key = key;
  return update;
}

inline CallUpdateOutcome deliver(Store& store, const CallUpdate& update) {
  return completed<CallUpdateOutcome>([&](auto done) { store.apply(update, std::move(done)); });
}

inline PruneCounts prune_all(Store& store, PruneRequest request) {
  PruneCounts total;
  for (int steps = 0; !total.finished; ++steps) {
    if (steps > 1000) throw std::runtime_error("pruning does not finish");
    total += completed<PruneCounts>([&](auto done) { store.prune(request, std::move(done)); });
  }
  return total;
}

// Three calls of two tenants: one ended in 2020, one ended in 2026, one still in progress since 2020.
inline void seed(Store& store) {
  for (const auto* key : {"k1", "k2"})
    deliver(store, delivery("acme", "old", "2020-01-01T00:00:00.000000", key));
  deliver(store, delivery("acme", "recent", "2026-01-01T00:00:00.000000", "k1"));
  auto live = delivery("acme", "live", std::nullopt, "k1");
  live.started_at = "2020-01-01T00:00:00.000000";
  deliver(store, live);
  deliver(store, delivery("other", "old", "2020-01-01T00:00:00.000000", "k1"));
}

}  // namespace vapidash::test
