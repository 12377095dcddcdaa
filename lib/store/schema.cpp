#include "vapidash/store/schema.hpp"

#include <array>
#include <string>

#include "vapidash/error.hpp"

namespace vapidash::sqlite {

namespace {

// Step N takes the schema from version N to N+1. Never edit a released step: add one.
constexpr std::array migrations{
    R"sql(
CREATE TABLE calls (
  client_id    TEXT NOT NULL,
  id           TEXT NOT NULL,
  phone_number TEXT NOT NULL,
  status       TEXT NOT NULL,
  started_at   TEXT,
  ended_at     TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  listen_url   TEXT,
  PRIMARY KEY (client_id, id)
);
CREATE INDEX calls_by_tenant_created ON calls (client_id, created_at);
CREATE TABLE call_status_events (
  id         INTEGER PRIMARY KEY,
  client_id  TEXT NOT NULL,
  call_id    TEXT NOT NULL,
  status     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  payload    TEXT NOT NULL
);
CREATE INDEX call_status_events_by_call ON call_status_events (client_id, call_id, id);
)sql",
    R"sql(
ALTER TABLE calls ADD COLUMN control_url TEXT;
ALTER TABLE calls ADD COLUMN ended_reason TEXT;
ALTER TABLE calls ADD COLUMN duration_seconds REAL;
ALTER TABLE calls ADD COLUMN cost REAL;
ALTER TABLE calls ADD COLUMN summary TEXT;
ALTER TABLE calls ADD COLUMN recording_url TEXT;
ALTER TABLE calls ADD COLUMN stereo_recording_url TEXT;
ALTER TABLE calls ADD COLUMN transcript_text TEXT;
ALTER TABLE calls ADD COLUMN report_transcript TEXT;
CREATE TABLE call_transcript_lines (
  id        INTEGER PRIMARY KEY,
  client_id TEXT NOT NULL,
  call_id   TEXT NOT NULL,
  role      TEXT NOT NULL,
  text      TEXT NOT NULL,
  at        TEXT
);
CREATE INDEX call_transcript_lines_by_call ON call_transcript_lines (client_id, call_id, id);
CREATE TABLE webhook_deliveries (
  client_id    TEXT NOT NULL,
  delivery_key TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  PRIMARY KEY (client_id, delivery_key)
) WITHOUT ROWID;
)sql",
};

int user_version(Database& db) {
  auto stmt = db.prepare("PRAGMA user_version");
  stmt.step();
  return static_cast<int>(stmt.integer(0));
}

}  // namespace

int latest_schema_version() {
  return static_cast<int>(migrations.size());
}

void migrate(Database& db) {
  const int found = user_version(db);
  if (found > latest_schema_version()) {
    throw store_error("the database has schema version " + std::to_string(found) +
                      " but this vapidash knows up to " + std::to_string(latest_schema_version()) +
                      ": upgrade vapidash or use another --db file");
  }
  for (int version = found; version < latest_schema_version(); ++version) {
    Transaction transaction(db);
    db.exec(migrations[static_cast<std::size_t>(version)]);
    db.exec(("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
    transaction.commit();
  }
}

}  // namespace vapidash::sqlite
