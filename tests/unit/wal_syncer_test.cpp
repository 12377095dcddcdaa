#include "vapidash/store/wal_syncer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace vapidash::sqlite {
namespace {

using test::TempDir;

struct Outcomes {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int> order;
  std::vector<std::optional<std::string>> failures;

  WalSyncer::Completion record(int id) {
    return [this, id](std::optional<std::string> failure) {
      {
        std::lock_guard lock(mutex);
        order.push_back(id);
        failures.push_back(std::move(failure));
      }
      changed.notify_all();
    };
  }

  void wait_for(std::size_t count) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return order.size() >= count; });
  }
};

std::string existing_file(const TempDir& dir) {
  const auto path = dir.file("store.db-wal");
  std::ofstream(path) << "frames";
  return path;
}

TEST(WalSyncer, CompletesEveryBatchInSubmitOrderOnceDurable) {
  TempDir dir;
  Outcomes outcomes;
  {
    WalSyncer syncer(existing_file(dir), 3);
    for (int id = 0; id < 500; ++id) syncer.submit(outcomes.record(id));
    syncer.close();
  }
  ASSERT_EQ(outcomes.order.size(), 500u);
  for (int id = 0; id < 500; ++id) {
    EXPECT_EQ(outcomes.order[static_cast<std::size_t>(id)], id);
    EXPECT_FALSE(outcomes.failures[static_cast<std::size_t>(id)].has_value());
  }
}

TEST(WalSyncer, SubmissionsFromManyThreadsCompleteOnceEach) {
  TempDir dir;
  Outcomes outcomes;
  WalSyncer syncer(existing_file(dir));
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) syncer.submit(outcomes.record(t * 100 + i));
    });
  }
  for (auto& writer : writers) writer.join();
  syncer.close();
  auto seen = outcomes.order;
  std::sort(seen.begin(), seen.end());
  ASSERT_EQ(seen.size(), 400u);
  for (int id = 0; id < 400; ++id) EXPECT_EQ(seen[static_cast<std::size_t>(id)], id);
}

TEST(WalSyncer, AFailedSyncFailsThatBatchAndEveryLaterOne) {
  TempDir dir;
  const auto missing = dir.file("no-such-dir/store.db-wal");
  Outcomes outcomes;
  WalSyncer syncer(missing);
  syncer.submit(outcomes.record(1));
  syncer.submit(outcomes.record(2));
  syncer.close();
  ASSERT_EQ(outcomes.failures.size(), 2u);
  for (const auto& failure : outcomes.failures) {
    ASSERT_TRUE(failure.has_value());
    EXPECT_NE(failure->find("cannot open"), std::string::npos) << *failure;
  }
}

TEST(WalSyncer, StaysFailedEvenWhenTheFileAppearsLater) {
  TempDir dir;
  const auto path = dir.file("store.db-wal");
  Outcomes outcomes;
  WalSyncer syncer(path, 1);
  syncer.submit(outcomes.record(1));
  outcomes.wait_for(1);  // the failure is recorded before the file exists
  std::ofstream(path) << "frames";
  syncer.submit(outcomes.record(2));
  syncer.close();
  ASSERT_EQ(outcomes.failures.size(), 2u);
  EXPECT_TRUE(outcomes.failures[0].has_value());
  EXPECT_TRUE(outcomes.failures[1].has_value());
}

TEST(WalSyncer, CloseIsIdempotent) {
  TempDir dir;
  Outcomes outcomes;
  WalSyncer syncer(existing_file(dir));
  syncer.submit(outcomes.record(1));
  syncer.close();
  syncer.close();
  EXPECT_EQ(outcomes.order.size(), 1u);
}

}  // namespace
}  // namespace vapidash::sqlite
