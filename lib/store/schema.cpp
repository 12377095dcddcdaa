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
    // Everything a call's timeline holds hangs off one integer key, so its events, transcript lines and
    // delivery keys repeat 8 bytes instead of the tenant and call ids, and retention removes a call's rows
    // by that key. Delivery keys become 16 hex digits within their call.
    R"sql(
CREATE TABLE timelines (
  id        INTEGER PRIMARY KEY,
  client_id TEXT NOT NULL,
  call_id   TEXT NOT NULL,
  UNIQUE (client_id, call_id)
);
INSERT INTO timelines (client_id, call_id)
  SELECT client_id, call_id FROM call_status_events GROUP BY client_id, call_id
  UNION SELECT client_id, call_id FROM call_transcript_lines GROUP BY client_id, call_id
  UNION SELECT client_id, substr(delivery_key, 1, instr(delivery_key, char(10)) - 1) FROM webhook_deliveries
    WHERE instr(delivery_key, char(10)) > 1 GROUP BY 1, 2;

CREATE TABLE timeline_events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  timeline_id  INTEGER NOT NULL,
  status       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  message_type TEXT,
  payload_form INTEGER NOT NULL,
  payload      TEXT NOT NULL
);
INSERT INTO timeline_events (id, timeline_id, status, created_at, message_type, payload_form, payload)
  SELECT e.id, t.id, e.status, e.created_at,
         CASE WHEN json_valid(e.payload) AND json_type(e.payload, '$.type') = 'text'
              THEN json_extract(e.payload, '$.type') END,
         0, e.payload
  FROM call_status_events e JOIN timelines t ON t.client_id = e.client_id AND t.call_id = e.call_id
  ORDER BY e.id;
CREATE INDEX timeline_events_by_timeline ON timeline_events (timeline_id, id);
DROP TABLE call_status_events;

CREATE TABLE transcript_lines (
  id          INTEGER PRIMARY KEY,
  timeline_id INTEGER NOT NULL,
  role        TEXT NOT NULL,
  text        TEXT NOT NULL,
  at          TEXT
);
INSERT INTO transcript_lines (id, timeline_id, role, text, at)
  SELECT l.id, t.id, l.role, l.text, l.at
  FROM call_transcript_lines l JOIN timelines t ON t.client_id = l.client_id AND t.call_id = l.call_id
  ORDER BY l.id;
CREATE INDEX transcript_lines_by_timeline ON transcript_lines (timeline_id, id);
DROP TABLE call_transcript_lines;

CREATE TABLE delivery_keys (
  timeline_id INTEGER NOT NULL,
  digest      TEXT NOT NULL,
  PRIMARY KEY (timeline_id, digest)
) WITHOUT ROWID;
INSERT OR IGNORE INTO delivery_keys (timeline_id, digest)
  SELECT t.id, substr(d.delivery_key, instr(d.delivery_key, char(10)) + 1, 16)
  FROM webhook_deliveries d JOIN timelines t
    ON t.client_id = d.client_id
   AND t.call_id = substr(d.delivery_key, 1, instr(d.delivery_key, char(10)) - 1);
DROP TABLE webhook_deliveries;

CREATE INDEX calls_by_end ON calls (coalesce(ended_at, CASE WHEN status = 'ended' THEN updated_at END));
)sql",
    // What supervisors write on a call; tags as a JSON array of strings.
    R"sql(
ALTER TABLE calls ADD COLUMN notes TEXT;
ALTER TABLE calls ADD COLUMN disposition TEXT;
ALTER TABLE calls ADD COLUMN tags TEXT;
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
