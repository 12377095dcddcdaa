#include <gtest/gtest.h>

#include <future>
#include <optional>
#include <string>
#include <variant>

#include "support/store_snapshot.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/store/call_pruner.hpp"
#include "vapidash/store/sqlite_db.hpp"
#include "vapidash/store/sqlite_store.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

constexpr auto retention_write_timeout = std::chrono::seconds(30);

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
CallUpdate delivery(const std::string& client_id, const std::string& call_id,
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

class RetentionTest : public ::testing::Test {
 protected:
  CallUpdateOutcome deliver(const CallUpdate& update) {
    return completed<CallUpdateOutcome>([&](auto done) { store_->apply(update, std::move(done)); });
  }

  PruneCounts prune_all(PruneRequest request) {
    PruneCounts total;
    for (int steps = 0; !total.finished; ++steps) {
      if (steps > 1000) throw std::runtime_error("pruning does not finish");
      total += completed<PruneCounts>([&](auto done) { store_->prune(request, std::move(done)); });
    }
    return total;
  }

  // Three calls of two tenants: one ended in 2020, one ended in 2026, one still in progress since 2020.
  void seed() {
    for (const auto* key : {"k1", "k2"}) deliver(delivery("acme", "old", "2020-01-01T00:00:00.000000", key));
    deliver(delivery("acme", "recent", "2026-01-01T00:00:00.000000", "k1"));
    auto live = delivery("acme", "live", std::nullopt, "k1");
    live.started_at = "2020-01-01T00:00:00.000000";
    deliver(live);
    deliver(delivery("other", "old", "2020-01-01T00:00:00.000000", "k1"));
  }

  TempDir dir_;
  std::string path_ = dir_.file("retention.db");
  std::unique_ptr<SqliteStore> store_ = std::make_unique<SqliteStore>(SqliteOptions{path_, SyncMode::normal});
};

TEST_F(RetentionTest, RemovesCallsThatEndedBeforeTheCutoffWithTheirWholeTimeline) {
  seed();
  const auto removed = prune_all(PruneRequest{"2025-01-01T00:00:00.000000"});
  EXPECT_EQ(removed.calls, 2);
  EXPECT_EQ(removed.events, 3);
  EXPECT_EQ(removed.transcript_lines, 3);
  EXPECT_EQ(removed.delivery_keys, 3);
  EXPECT_FALSE(store_->find_call("acme", "old"));
  EXPECT_FALSE(store_->find_call("other", "old"));
  EXPECT_TRUE(store_->list_events({"acme", "old"}).empty());
  EXPECT_TRUE(store_->find_call("acme", "recent"));
  EXPECT_TRUE(store_->find_call("acme", "live")) << "a call that has not ended is never pruned";
  EXPECT_EQ(store_->list_events({"acme", "live"}).size(), 1u);
  EXPECT_EQ(store_->find_call_detail("acme", "recent")->transcript.size(), 1u);

  // The keys went with their call: the same delivery is now new, while a live call's key still holds.
  EXPECT_FALSE(deliver(delivery("acme", "old", "2020-01-01T00:00:00.000000", "k1")).duplicate);
  EXPECT_TRUE(deliver(delivery("acme", "live", std::nullopt, "k1")).duplicate);
}

TEST_F(RetentionTest, SmallStepsRemoveTheSameAsOneBigStep) {
  seed();
  for (int i = 0; i < 20; ++i) {
    deliver(delivery("acme", "old", "2020-01-01T00:00:00.000000", "extra-" + std::to_string(i)));
  }
  const auto removed = prune_all(PruneRequest{"2025-01-01T00:00:00.000000", std::nullopt, 3});
  EXPECT_EQ(removed.calls, 2);
  EXPECT_EQ(removed.events, 23);
  EXPECT_EQ(removed.delivery_keys, 23);
  EXPECT_FALSE(store_->find_call("acme", "old"));
  EXPECT_TRUE(store_->find_call("acme", "live"));
}

TEST_F(RetentionTest, ACallADebugUpdateEndedCountsFromItsLastUpdate) {
  for (const auto* status : {"ended", "in-progress"}) {
    CallUpdate update;
    update.client_id = "acme";
    update.call_id = std::string("debug-") + status;
    update.status = status;
    deliver(update);
  }
  const auto removed = prune_all(PruneRequest{"2999-01-01T00:00:00.000000"});
  EXPECT_EQ(removed.calls, 1);
  EXPECT_FALSE(store_->find_call("acme", "debug-ended"));
  EXPECT_TRUE(store_->find_call("acme", "debug-in-progress"));
}

TEST_F(RetentionTest, OneTenantOnly) {
  seed();
  const auto removed = prune_all(PruneRequest{"2025-01-01T00:00:00.000000", "other"});
  EXPECT_EQ(removed.calls, 1);
  EXPECT_TRUE(store_->find_call("acme", "old"));
  EXPECT_FALSE(store_->find_call("other", "old"));
}

TEST_F(RetentionTest, NothingToRemoveChangesNothing) {
  seed();
  store_.reset();  // and its lock
  const auto before = store_snapshot(path_);
  store_ = std::make_unique<SqliteStore>(SqliteOptions{path_, SyncMode::normal});
  const auto removed = prune_all(PruneRequest{"2019-01-01T00:00:00.000000"});
  EXPECT_EQ(removed.rows(), 0);
  store_.reset();  // and its lock
  EXPECT_EQ(store_snapshot(path_), before);
}

TEST_F(RetentionTest, ADryRunCountsWhatPruningRemoves) {
  seed();
  store_.reset();  // and its lock
  const PruneRequest request{"2025-01-01T00:00:00.000000"};
  const auto before = store_snapshot(path_);
  sqlite::Database db(path_, false);
  sqlite::CallPruner pruner(db);
  const auto counted = pruner.count(request);
  EXPECT_EQ(store_snapshot(path_), before) << "counting changes nothing";
  store_ = std::make_unique<SqliteStore>(SqliteOptions{path_, SyncMode::normal});
  const auto removed = prune_all(request);
  EXPECT_EQ(counted.calls, removed.calls);
  EXPECT_EQ(counted.events, removed.events);
  EXPECT_EQ(counted.transcript_lines, removed.transcript_lines);
  EXPECT_EQ(counted.delivery_keys, removed.delivery_keys);
}

}  // namespace
}  // namespace vapidash::test
