#include "vapidash/store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "support/files.hpp"
#include "support/store_calls.hpp"
#include "support/store_conformance.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/store/schema.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

struct SqliteCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using RawDb = std::unique_ptr<sqlite3, SqliteCloser>;

// Opens the file with the SQLite C API, independently of the store's own wrapper.
RawDb open_raw(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  RawDb owned(db);
  if (rc != SQLITE_OK) throw std::runtime_error("cannot open " + path);
  return owned;
}

void exec_raw(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string detail = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    throw std::runtime_error(sql + ": " + detail);
  }
}

int user_version(const std::string& path) {
  const auto db = open_raw(path);
  int version = -1;
  char* message = nullptr;
  const int rc = sqlite3_exec(
      db.get(), "PRAGMA user_version",
      [](void* out, int, char** values, char**) {
        *static_cast<int*>(out) = std::stoi(values[0]);
        return 0;
      },
      &version, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) throw std::runtime_error("PRAGMA user_version failed");
  return version;
}

class SqliteStoreTest : public StoreCalls<::testing::Test> {
 protected:
  SqliteStoreTest() { store_ = open_store(); }
  std::unique_ptr<SqliteStore> open_store(StoreObserver observer = {}, SyncMode sync = SyncMode::full) {
    SqliteOptions options;
    options.path = db_path_;
    options.sync = sync;
    return std::make_unique<SqliteStore>(std::move(options), std::move(observer));
  }

  TempDir dir_;
  std::string db_path_ = dir_.file("vapidash.db");
};

using strings = std::vector<std::string>;

TEST_F(SqliteStoreTest, ConcurrentWritesAllCompleteInGroupCommits) {
  constexpr int threads = 4;
  constexpr int per_thread = 200;
  constexpr int load_writes = threads * per_thread;
  constexpr int submitted = load_writes + 1;  // plus the gate

  std::atomic<std::size_t> observed_writes{0};
  std::atomic<int> commits{0};
  store_.reset();  // one store per file: the fixture's must close before this one opens
  // With --sync normal completions run on the writer thread, so the gate's callback holds the writer until
  // every thread has submitted: the load writes are all queued at once and must share one commit.
  store_ = open_store({[&](std::size_t writes, std::chrono::microseconds) {
                         observed_writes += writes;
                         ++commits;
                       },
                       {}},
                      SyncMode::normal);

  std::promise<void> release;
  auto released = release.get_future().share();
  Pending<CallUpdateOutcome> gate;
  store_->apply(update_of("gate-tenant", "gate"), [released, done = gate.callback()](auto result) {
    released.wait_for(write_timeout);
    done(std::move(result));
  });

  std::atomic<int> completed{0};
  std::atomic<int> failed{0};
  std::promise<void> all_done;
  auto all_done_future = all_done.get_future();
  const CloseOnExit close_on_exit(*store_);
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        store_->apply(update_of("load", "t" + std::to_string(t) + "-c" + std::to_string(i)),
                      [&](WriteResult<CallUpdateOutcome> result) {
                        if (std::holds_alternative<WriteFailure>(result)) ++failed;
                        if (++completed == load_writes) all_done.set_value();
                      });
      }
    });
  }
  for (auto& writer : writers) writer.join();
  release.set_value();

  ASSERT_EQ(all_done_future.wait_for(write_timeout), std::future_status::ready)
      << completed.load() << " of " << load_writes << " writes completed";
  ASSERT_TRUE(await(gate.future));
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(observed_writes.load(), static_cast<std::size_t>(submitted));
  EXPECT_EQ(commits.load(), 2) << "the gate's commit, then every queued write in one";

  std::set<std::string> expected;
  for (int t = 0; t < threads; ++t) {
    for (int i = 0; i < per_thread; ++i) expected.insert("t" + std::to_string(t) + "-c" + std::to_string(i));
  }
  const auto listed = ids(query_of("load"));
  EXPECT_EQ(listed.size(), expected.size());
  EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), expected);
  EXPECT_TRUE(store_->find_call("load", "t3-c199"));
}

// Each write is acknowledged only after an fdatasync that began after it was submitted.
TEST_F(SqliteStoreTest, FullSyncAcknowledgesAWriteOnlyAfterAWalSync) {
  std::atomic<int> syncs{0};
  store_.reset();
  store_ = open_store({{}, [&] { ++syncs; }}, SyncMode::full);
  for (int i = 0; i < 5; ++i) {
    const int before = syncs.load();
    std::promise<int> seen_at_completion;
    store_->apply(update_of("durable", "c" + std::to_string(i)),
                  [&](WriteResult<CallUpdateOutcome>) { seen_at_completion.set_value(syncs.load()); });
    auto seen = seen_at_completion.get_future();
    ASSERT_EQ(seen.wait_for(write_timeout), std::future_status::ready);
    EXPECT_GT(seen.get(), before) << "write " << i << " was acknowledged before any WAL sync";
  }
}

TEST_F(SqliteStoreTest, NormalSyncAcknowledgesWithoutFsync) {
  std::atomic<int> syncs{0};
  store_.reset();
  store_ = open_store({{}, [&] { ++syncs; }}, SyncMode::normal);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(apply_now(update_of("fast", "c" + std::to_string(i))));
  store_->close();
  EXPECT_EQ(syncs.load(), 0);
  EXPECT_EQ(ids(query_of("fast")).size(), 5u);
}

TEST_F(SqliteStoreTest, OpeningSetsTheLatestSchemaVersion) {
  store_.reset();
  EXPECT_GT(sqlite::latest_schema_version(), 0);
  EXPECT_EQ(user_version(db_path_), sqlite::latest_schema_version());
  store_ = open_store();  // reopening an up-to-date file migrates nothing and works
  EXPECT_TRUE(apply_now(update_of("demo-client", "call-1")));
  store_.reset();
  EXPECT_EQ(user_version(db_path_), sqlite::latest_schema_version());
}

TEST_F(SqliteStoreTest, RefusesADatabaseFromANewerVersion) {
  const auto path = dir_.file("newer.db");
  const int newer = sqlite::latest_schema_version() + 1;
  {
    const auto db = open_raw(path);
    exec_raw(db.get(), "CREATE TABLE future_table (x INTEGER)");
    exec_raw(db.get(), "PRAGMA user_version = " + std::to_string(newer));
  }
  SqliteOptions options;
  options.path = path;
  EXPECT_THROW(SqliteStore{options}, store_error);
  EXPECT_EQ(user_version(path), newer);
}

TEST_F(SqliteStoreTest, RefusesAPathItCannotOpenNamingTheMissingDirectory) {
  SqliteOptions options;
  options.path = dir_.file("no-such-dir/vapidash.db");
  try {
    SqliteStore store(options);
    ADD_FAILURE() << "opened " << options.path;
  } catch (const store_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot create the database " + options.path + ": its directory " +
                                         dir_.file("no-such-dir") + " does not exist");
  }
}

TEST_F(SqliteStoreTest, ASecondStoreOnTheFileIsRefusedWhileTheFirstIsOpen) {
  EXPECT_THROW(open_store(), store_locked);
  ASSERT_TRUE(apply_now(update_of("demo-client", "call-1"))) << "the first store must keep working";
  store_.reset();
  store_ = open_store();
  EXPECT_EQ(ids(CallQuery{"demo-client"}), strings{"call-1"});
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsNamedAndLeftUntouched) {
  const auto path = dir_.file("notes.txt");
  const std::string text(4096, 'x');
  std::ofstream(path) << text;
  SqliteOptions options;
  options.path = path;
  try {
    SqliteStore store(options);
    ADD_FAILURE() << "opened " << path;
  } catch (const store_error& e) {
    EXPECT_NE(std::string(e.what()).find("the database " + path + " is not an SQLite database"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(read_text(path), text);
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(sqlite_engine()), engine_name);

}  // namespace vapidash::test
