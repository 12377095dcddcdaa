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

// A database as schema version 2 left it: timelines keyed by tenant and call id, 32-digit delivery keys
// prefixed by the call id.
void write_version_2_database(const std::string& path, const std::string& key_digest) {
  write_version_1_database(path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const auto sql = R"sql(
ALTER TABLE calls ADD COLUMN control_url TEXT;
ALTER TABLE calls ADD COLUMN ended_reason TEXT;
ALTER TABLE calls ADD COLUMN duration_seconds REAL;
ALTER TABLE calls ADD COLUMN cost REAL;
ALTER TABLE calls ADD COLUMN summary TEXT;
ALTER TABLE calls ADD COLUMN recording_url TEXT;
ALTER TABLE calls ADD COLUMN stereo_recording_url TEXT;
ALTER TABLE calls ADD COLUMN transcript_text TEXT;
ALTER TABLE calls ADD COLUMN report_transcript TEXT;
CREATE TABLE call_transcript_lines (id INTEGER PRIMARY KEY, client_id TEXT NOT NULL, call_id TEXT NOT NULL,
  role TEXT NOT NULL, text TEXT NOT NULL, at TEXT);
CREATE TABLE webhook_deliveries (client_id TEXT NOT NULL, delivery_key TEXT NOT NULL, received_at TEXT NOT NULL,
  PRIMARY KEY (client_id, delivery_key)) WITHOUT ROWID;
INSERT INTO call_status_events VALUES
  (2, 'demo', 'old-call', 'transcript', '2025-12-10T07:05:15.000000', '{"type":"transcript","role":"user"}');
INSERT INTO call_transcript_lines VALUES (1, 'demo', 'old-call', 'user', 'hello', NULL);
INSERT INTO webhook_deliveries VALUES ('demo', 'old-call' || char(10) || ')sql" +
                   key_digest + R"sql(', '2025-12-10T07:05:15.000000');
PRAGMA user_version = 2;
)sql";
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(SchemaUpgradeTest, AVersion2DatabaseKeepsItsTimelinesAndRecognisesOldDeliveries) {
  TempDir dir;
  const auto path = dir.file("v2.db");
  const std::string digest = "0123456789abcdef";
  write_version_2_database(path, digest + "fedcba9876543210");

  SqliteStore store(SqliteOptions{path, SyncMode::full});
  const auto events = store.list_events({"demo", "old-call"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].status, "transcript");
  EXPECT_EQ(events[1].payload, json::parse(R"({"type":"transcript","role":"user"})"));
  EXPECT_EQ(events[1].payload_form, PayloadForm::full);
  const auto detail = store.find_call_detail("demo", "old-call");
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->transcript.size(), 1u);
  EXPECT_EQ(detail->transcript[0].text, "hello");

  // The 16-digit key of today is the prefix of the 32-digit one stored before: a re-delivery is still one.
  CallUpdate redelivery;
  redelivery.client_id = "demo";
  redelivery.call_id = "old-call";
  redelivery.source = UpdateSource::webhook;
  redelivery.dedupe_key = digest;
  std::promise<WriteResult<CallUpdateOutcome>> done;
  store.apply(redelivery, [&](WriteResult<CallUpdateOutcome> result) { done.set_value(std::move(result)); });
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  const auto outcome = future.get();
  ASSERT_TRUE(std::holds_alternative<CallUpdateOutcome>(outcome));
  EXPECT_TRUE(std::get<CallUpdateOutcome>(outcome).duplicate);
}

}  // namespace
}  // namespace vapidash::test
