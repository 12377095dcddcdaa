#include "vapidash/store/sqlite_call_rows.hpp"

#include "vapidash/store/call_reader.hpp"
#include "vapidash/wire/call_json.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::sqlite {

using namespace std::string_literals;

SqliteCallRows::SqliteCallRows(Database& db)
    : db_(db),
      insert_call_(db.prepare(
          "INSERT INTO calls ("s + call_columns +
          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
          " ?20)")),
      update_call_(db.prepare(
          "UPDATE calls SET phone_number = ?3, status = ?4, started_at = ?5, ended_at = ?6, updated_at = ?8,"
          " listen_url = ?9, control_url = ?10, ended_reason = ?11, duration_seconds = ?12, cost = ?13, "
          "summary = ?14,"
          " recording_url = ?15, stereo_recording_url = ?16, transcript_text = ?17, notes = ?18,"
          " disposition = ?19, tags = ?20 WHERE client_id = ?1 AND id = ?2")),
      find_timeline_(db.prepare("SELECT id FROM timelines WHERE client_id = ?1 AND call_id = ?2")),
      insert_timeline_(db.prepare("INSERT INTO timelines (client_id, call_id) VALUES (?1, ?2)")),
      insert_event_(db.prepare(
          "INSERT INTO timeline_events (timeline_id, status, created_at, message_type, payload_form, payload)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")),
      insert_delivery_(
          db.prepare("INSERT OR IGNORE INTO delivery_keys (timeline_id, digest) VALUES (?1, ?2)")),
      insert_line_(
          db.prepare("INSERT INTO transcript_lines (timeline_id, role, text, at) VALUES (?1, ?2, ?3, ?4)")),
      list_lines_(
          db.prepare("SELECT role, text, at FROM transcript_lines WHERE timeline_id = ?1 ORDER BY id")),
      update_report_transcript_(
          db.prepare("UPDATE calls SET report_transcript = ?3 WHERE client_id = ?1 AND id = ?2")) {}

std::optional<Call> SqliteCallRows::find_call(const std::string& client_id, const std::string& call_id) {
  return sqlite::find_call(db_, client_id, call_id);
}

bool SqliteCallRows::record_delivery(const std::string& client_id, const std::string& call_id,
                                     const std::string& key) {
  insert_delivery_.reset().bind(1, timeline_of(client_id, call_id)).bind(2, key).run();
  return db_.changes() == 1;
}

// The key every row of this call's timeline hangs off, created with the call's first timeline row.
std::int64_t SqliteCallRows::timeline_of(const std::string& client_id, const std::string& call_id) {
  auto& found = find_timeline_.reset().bind(1, client_id).bind(2, call_id);
  const bool exists = found.step();
  const auto id = exists ? found.integer(0) : 0;
  found.reset();
  if (exists) return id;
  insert_timeline_.reset().bind(1, client_id).bind(2, call_id).run();
  return db_.last_insert_rowid();
}

namespace {
// Binds every column of call_columns in order, as ?1 … ?20.
void bind_call(Statement& stmt, const Call& call) {
  stmt.bind(1, call.client_id)
      .bind(2, call.id)
      .bind(3, call.phone_number)
      .bind(4, call.status)
      .bind(5, call.started_at)
      .bind(6, call.ended_at)
      .bind(7, call.created_at)
      .bind(8, call.updated_at)
      .bind(9, call.listen_url)
      .bind(10, call.control_url)
      .bind(11, call.ended_reason)
      .bind(12, call.duration_seconds)
      .bind(13, call.cost)
      .bind(14, call.summary)
      .bind(15, call.recording_url)
      .bind(16, call.stereo_recording_url)
      .bind(17, call.transcript_text)
      .bind(18, call.notes)
      .bind(19, call.disposition)
      .bind(20, stored_tags(call));
}
}  // namespace

void SqliteCallRows::insert(const Call& call) {
  bind_call(insert_call_.reset(), call);
  insert_call_.run();
}

void SqliteCallRows::update(const Call& call) {
  bind_call(update_call_.reset(), call);
  update_call_.run();
}

void SqliteCallRows::append_line(const Call& call, const TranscriptLine& line) {
  insert_line_.reset()
      .bind(1, timeline_of(call.client_id, call.id))
      .bind(2, line.role)
      .bind(3, line.text)
      .bind(4, line.at)
      .run();
}

std::vector<TranscriptLine> SqliteCallRows::final_lines(const std::string& client_id,
                                                        const std::string& call_id) {
  std::vector<TranscriptLine> finals;
  auto& lines = list_lines_.reset().bind(1, timeline_of(client_id, call_id));
  while (lines.step()) finals.push_back(read_transcript_line(lines));
  lines.reset();
  return finals;
}

void SqliteCallRows::store_report_transcript(const Call& call, const std::vector<TranscriptLine>& messages) {
  update_report_transcript_.reset()
      .bind(1, call.client_id)
      .bind(2, call.id)
      .bind(3, dump_json(json(messages)))
      .run();
}

StatusEvent SqliteCallRows::insert_event(const EventRecord& record, const std::string& created_at) {
  insert_event_.reset()
      .bind(1, timeline_of(record.client_id, record.call_id))
      .bind(2, record.status)
      .bind(3, created_at)
      .bind(4, record.message_type)
      .bind(5, static_cast<std::int64_t>(record.payload_form))
      .bind(6, dump_json(record.payload))
      .run();
  return StatusEvent{db_.last_insert_rowid(), record.client_id,   record.call_id, record.status, created_at,
                     record.payload,          record.payload_form};
}

}  // namespace vapidash::sqlite
