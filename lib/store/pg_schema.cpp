#include "vapidash/store/pg_schema.hpp"

#include <array>
#include <string>

namespace vapidash::pg {

namespace {

// Step N takes the schema from version N to N+1. Never edit a released step: add one. The layout is the
// SQLite store's (stored_call.hpp), with an insertion sequence for paging in place of SQLite's rowid, and
// "C" collation where rows are ordered by timestamps, which sort as text.
constexpr std::array migrations{
    R"sql(
CREATE TABLE calls (
  seq                  BIGINT GENERATED ALWAYS AS IDENTITY,
  client_id            TEXT COLLATE "C" NOT NULL,
  id                   TEXT COLLATE "C" NOT NULL,
  phone_number         TEXT NOT NULL,
  status               TEXT NOT NULL,
  started_at           TEXT COLLATE "C",
  ended_at             TEXT COLLATE "C",
  created_at           TEXT COLLATE "C" NOT NULL,
  updated_at           TEXT COLLATE "C" NOT NULL,
  listen_url           TEXT,
  control_url          TEXT,
  ended_reason         TEXT,
  duration_seconds     DOUBLE PRECISION,
  cost                 DOUBLE PRECISION,
  summary              TEXT,
  recording_url        TEXT,
  stereo_recording_url TEXT,
  transcript_text      TEXT,
  report_transcript    TEXT,
  notes                TEXT,
  disposition          TEXT,
  tags                 TEXT,
  PRIMARY KEY (client_id, id)
);
CREATE INDEX calls_by_tenant_created ON calls (client_id, created_at, seq);
CREATE INDEX calls_by_end ON calls ((coalesce(ended_at, CASE WHEN status = 'ended' THEN updated_at END)));
CREATE TABLE timelines (
  id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_id TEXT COLLATE "C" NOT NULL,
  call_id   TEXT COLLATE "C" NOT NULL,
  UNIQUE (client_id, call_id)
);
CREATE TABLE timeline_events (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  timeline_id  BIGINT NOT NULL,
  status       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  message_type TEXT,
  payload_form SMALLINT NOT NULL,
  payload      TEXT NOT NULL
);
CREATE INDEX timeline_events_by_timeline ON timeline_events (timeline_id, id);
CREATE TABLE transcript_lines (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  timeline_id BIGINT NOT NULL,
  role        TEXT NOT NULL,
  text        TEXT NOT NULL,
  at          TEXT
);
CREATE INDEX transcript_lines_by_timeline ON transcript_lines (timeline_id, id);
CREATE TABLE delivery_keys (
  timeline_id BIGINT NOT NULL,
  digest      TEXT NOT NULL,
  PRIMARY KEY (timeline_id, digest)
);
-- One row per committed write batch, so that a server whose connection broke during COMMIT can tell whether
-- the batch committed. Kept an hour.
CREATE TABLE batch_tokens (
  token        TEXT PRIMARY KEY,
  committed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Announcements too large for a NOTIFY payload, read back by every server's listener.
CREATE TABLE announcements (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  payload    TEXT NOT NULL
);
)sql",
};

// Any constant that other applications are unlikely to use: "vapidash" in ASCII.
constexpr const char* migration_lock = "SELECT pg_advisory_lock(8097880629543870568)";
constexpr const char* migration_unlock = "SELECT pg_advisory_unlock(8097880629543870568)";

int schema_version(Connection& connection) {
  connection.exec("CREATE TABLE IF NOT EXISTS vapidash_schema (version INTEGER NOT NULL)");
  auto found = connection.exec("SELECT version FROM vapidash_schema");
  if (found.rows() > 0) return static_cast<int>(found.integer(0, 0));
  connection.exec("INSERT INTO vapidash_schema (version) VALUES (0)");
  return 0;
}

void migrate_locked(Connection& connection) {
  const int found = schema_version(connection);
  if (found > latest_schema_version()) {
    throw store_error("the database " + connection.target().redacted() + " has schema version " +
                      std::to_string(found) + " but this vapidash knows up to " +
                      std::to_string(latest_schema_version()) + ": upgrade vapidash or use another database");
  }
  for (int version = found; version < latest_schema_version(); ++version) {
    Transaction transaction(connection);
    connection.exec(migrations[static_cast<std::size_t>(version)]);
    connection.exec("UPDATE vapidash_schema SET version = " + std::to_string(version + 1));
    transaction.commit();
  }
}

}  // namespace

int latest_schema_version() {
  return static_cast<int>(migrations.size());
}

void migrate(Connection& connection) {
  connection.exec(migration_lock);
  try {
    migrate_locked(connection);
  } catch (...) {
    if (!connection.broken()) connection.exec(migration_unlock);
    throw;
  }
  connection.exec(migration_unlock);
}

}  // namespace vapidash::pg
