// Retention on the SQLite file itself; what every engine must do is in the store conformance suite.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/retention_steps.hpp"
#include "support/store_snapshot.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/store/call_pruner.hpp"
#include "vapidash/store/sqlite_db.hpp"
#include "vapidash/store/sqlite_store.hpp"

namespace vapidash::test {
namespace {

class RetentionTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.file("retention.db");
  std::unique_ptr<SqliteStore> store_ = std::make_unique<SqliteStore>(SqliteOptions{path_, SyncMode::normal});
};

TEST_F(RetentionTest, NothingToRemoveChangesNothing) {
  seed(*store_);
  store_.reset();  // and its lock
  const auto before = store_snapshot(path_);
  store_ = std::make_unique<SqliteStore>(SqliteOptions{path_, SyncMode::normal});
  const auto removed = prune_all(*store_, PruneRequest{"2019-01-01T00:00:00.000000"});
  EXPECT_EQ(removed.rows(), 0);
  store_.reset();  // and its lock
  EXPECT_EQ(store_snapshot(path_), before);
}

TEST_F(RetentionTest, ADryRunCountsWhatPruningRemoves) {
  seed(*store_);
  store_.reset();  // and its lock
  const PruneRequest request{"2025-01-01T00:00:00.000000"};
  const auto before = store_snapshot(path_);
  sqlite::Database db(path_, false);
  sqlite::SqlitePruneRows rows(db);
  const auto counted = rows.count(request);
  EXPECT_EQ(store_snapshot(path_), before) << "counting changes nothing";
  store_ = std::make_unique<SqliteStore>(SqliteOptions{path_, SyncMode::normal});
  const auto removed = prune_all(*store_, request);
  EXPECT_EQ(counted.calls, removed.calls);
  EXPECT_EQ(counted.events, removed.events);
  EXPECT_EQ(counted.transcript_lines, removed.transcript_lines);
  EXPECT_EQ(counted.delivery_keys, removed.delivery_keys);
}

}  // namespace
}  // namespace vapidash::test
