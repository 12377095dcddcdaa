#include "vapidash/store/wal_syncer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
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

// One timeline of what the test and the sync threads did, to check that every batch was completed only after
// an fdatasync that began after the batch was written had returned.
class SyncTimeline {
 public:
  enum class Kind { written, sync_started, sync_returned, completed };

  WalSyncer::DataSync data_sync() {
    return [this](int) {
      const auto sync = record(Kind::sync_started, next_sync_++);
      record(Kind::sync_returned, sync);
      return 0;
    };
  }
  WalSyncer::Completion write(int batch) {
    record(Kind::written, batch);
    return [this, batch](std::optional<std::string> failure) {
      EXPECT_FALSE(failure.has_value()) << *failure;
      record(Kind::completed, batch);
    };
  }

  // The batches completed without a sync that started after they were written and returned before.
  std::vector<int> completed_before_durable() const {
    std::vector<int> premature;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].kind == Kind::completed && !covered(entries_[i].id, i))
        premature.push_back(entries_[i].id);
    }
    return premature;
  }
  std::size_t count(Kind kind) const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [kind](const Entry& e) { return e.kind == kind; }));
  }

 private:
  struct Entry {
    Kind kind;
    int id;
  };

  int record(Kind kind, int id) {
    std::lock_guard lock(mutex_);
    entries_.push_back(Entry{kind, id});
    return id;
  }
  bool covered(int batch, std::size_t completed_at) const {
    std::size_t written_at = 0;
    while (!(entries_[written_at].kind == Kind::written && entries_[written_at].id == batch)) ++written_at;
    for (std::size_t i = written_at; i < completed_at; ++i) {
      if (entries_[i].kind != Kind::sync_started) continue;
      for (std::size_t j = i; j < completed_at; ++j) {
        if (entries_[j].kind == Kind::sync_returned && entries_[j].id == entries_[i].id) return true;
      }
    }
    return false;
  }

  std::mutex mutex_;
  std::atomic<int> next_sync_ = 0;
  std::vector<Entry> entries_;
};

std::string existing_file(const TempDir& dir) {
  const auto path = dir.file("store.db-wal");
  std::ofstream(path) << "frames";
  return path;
}

TEST(WalSyncer, CompletesEveryBatchOnceInSubmitOrder) {
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

TEST(WalSyncer, NoBatchCompletesBeforeAnFdatasyncBegunAfterItWasWrittenReturned) {
  TempDir dir;
  SyncTimeline timeline;
  {
    WalSyncer syncer(existing_file(dir), 2, timeline.data_sync());
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) syncer.submit(timeline.write(t * 200 + i));
      });
    }
    for (auto& writer : writers) writer.join();
    syncer.close();
  }
  EXPECT_EQ(timeline.count(SyncTimeline::Kind::completed), 800u);
  EXPECT_GE(timeline.count(SyncTimeline::Kind::sync_returned), 1u);
  EXPECT_LE(timeline.count(SyncTimeline::Kind::sync_returned), 800u) << "one fdatasync covers many batches";
  EXPECT_EQ(timeline.completed_before_durable(), std::vector<int>{});
}

// The sync is held open: the batch it covers must wait for it, however long it takes.
TEST(WalSyncer, ABatchWaitsForItsSyncToReturn) {
  TempDir dir;
  std::mutex mutex;
  std::condition_variable changed;
  bool sync_entered = false;
  bool release_sync = false;
  Outcomes outcomes;
  WalSyncer syncer(existing_file(dir), 1, [&](int) {
    std::unique_lock lock(mutex);
    sync_entered = true;
    changed.notify_all();
    changed.wait(lock, [&] { return release_sync; });
    return 0;
  });
  syncer.submit(outcomes.record(1));
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return sync_entered; });
  }
  {
    std::lock_guard lock(outcomes.mutex);
    EXPECT_TRUE(outcomes.order.empty()) << "completed while its fdatasync was still running";
  }
  {
    std::lock_guard lock(mutex);
    release_sync = true;
  }
  changed.notify_all();
  outcomes.wait_for(1);
  syncer.close();
  EXPECT_EQ(outcomes.order, std::vector<int>{1});
}

TEST(WalSyncer, AFailedFdatasyncFailsItsBatch) {
  TempDir dir;
  Outcomes outcomes;
  WalSyncer syncer(existing_file(dir), 1, [](int) {
    errno = EIO;
    return -1;
  });
  syncer.submit(outcomes.record(1));
  syncer.close();
  ASSERT_EQ(outcomes.failures.size(), 1u);
  ASSERT_TRUE(outcomes.failures[0].has_value());
  EXPECT_NE(outcomes.failures[0]->find("cannot fdatasync"), std::string::npos) << *outcomes.failures[0];
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
