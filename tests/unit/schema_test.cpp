#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>

#include "support/temp_dir.hpp"
#include "vapidash/store/schema.hpp"
#include "vapidash/store/sqlite_store.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

// A database as the first release wrote it: schema version 1, with a call and its timeline.
void write_version_1_database(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const char* sql = R"sql(
CREATE TABLE calls (client_id TEXT NOT NULL, id TEXT NOT NULL, phone_number TEXT NOT NULL, status TEXT NOT NULL,
  started_at TEXT, ended_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, listen_url TEXT,
  PRIMARY KEY (client_id, id));
CREATE INDEX calls_by_tenant_created ON calls (client_id, created_at);
CREATE TABLE call_status_events (id INTEGER PRIMARY KEY, client_id TEXT NOT NULL, call_id TEXT NOT NULL,
  status TEXT NOT NULL, created_at TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX call_status_events_by_call ON call_status_events (client_id, call_id, id);
INSERT INTO calls VALUES ('demo', 'old-call', '+15555550123', 'ringing', '2025-12-10T07:05:14.195889', NULL,
  '2025-12-10T07:05:14.195889', '2025-12-10T07:05:14.195889', NULL);
INSERT INTO call_status_events VALUES (1, 'demo', 'old-call', 'ringing', '2025-12-10T07:05:14.195889', '{"a":1}');
PRAGMA user_version = 1;
)sql";
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(SchemaUpgradeTest, AVersion1DatabaseIsUpgradedAtStartAndKeepsItsData) {
  TempDir dir;
  const auto path = dir.file("v1.db");
  write_version_1_database(path);
  ASSERT_GT(sqlite::latest_schema_version(), 1);

  SqliteStore store(SqliteOptions{path, SyncMode::full});
  const auto calls = store.list_calls(CallQuery{"demo"});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].id, "old-call");
  EXPECT_EQ(calls[0].status, "ringing");
  EXPECT_FALSE(calls[0].ended_reason.has_value());
  const auto events = store.list_events({"demo", "old-call"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload, json::parse(R"({"a":1})"));

  // What version 2 added works on the upgraded file: a webhook update with a report and a delivery key.
  CallUpdate update;
  update.client_id = "demo";
  update.call_id = "old-call";
  update.source = UpdateSource::webhook;
  update.status = "ended";
  update.report = CallReport{};
  update.report->summary = "upgraded";
  update.dedupe_key = "key-1";
  std::promise<WriteResult<CallUpdateOutcome>> done;
  store.apply(update, [&](WriteResult<CallUpdateOutcome> result) { done.set_value(std::move(result)); });
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  ASSERT_TRUE(std::holds_alternative<CallUpdateOutcome>(future.get()));
  const auto detail = store.find_call_detail("demo", "old-call");
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->call.status, "ended");
  EXPECT_EQ(detail->call.summary, "upgraded");
  store.close();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), sqlite::latest_schema_version());
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
}  // namespace vapidash::test
