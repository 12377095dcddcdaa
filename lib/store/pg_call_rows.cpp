#include "vapidash/store/pg_call_rows.hpp"

#include "vapidash/store/stored_call.hpp"
#include "vapidash/wire/call_json.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::pg {

using namespace std::string_literals;

Call read_call(const Result& rows, int row) {
  Call call;
  call.client_id = rows.text(row, 0);
  call.id = rows.text(row, 1);
  call.phone_number = rows.text(row, 2);
  call.status = rows.text(row, 3);
  call.started_at = rows.optional_text(row, 4);
  call.ended_at = rows.optional_text(row, 5);
  call.created_at = rows.text(row, 6);
  call.updated_at = rows.text(row, 7);
  call.listen_url = rows.optional_text(row, 8);
  call.control_url = rows.optional_text(row, 9);
  call.ended_reason = rows.optional_text(row, 10);
  call.duration_seconds = rows.optional_real(row, 11);
  call.cost = rows.optional_real(row, 12);
  call.summary = rows.optional_text(row, 13);
  call.recording_url = rows.optional_text(row, 14);
  call.stereo_recording_url = rows.optional_text(row, 15);
  call.transcript_text = rows.optional_text(row, 16);
  call.notes = rows.optional_text(row, 17);
  call.disposition = rows.optional_text(row, 18);
  call.tags = tags_from_stored(rows.optional_text(row, 19));
  return call;
}

TranscriptLine read_transcript_line(const Result& rows, int row) {
  return TranscriptLine{rows.text(row, 0), rows.text(row, 1), rows.optional_text(row, 2)};
}

namespace {

// Every column of call_columns in order, as $1 … $20.
Params call_params(const Call& call) {
  return {call.client_id,       call.id,          call.phone_number,  call.status,
          call.started_at,      call.ended_at,    call.created_at,    call.updated_at,
          call.listen_url,      call.control_url, call.ended_reason,  param(call.duration_seconds),
          param(call.cost),     call.summary,     call.recording_url, call.stereo_recording_url,
          call.transcript_text, call.notes,       call.disposition,   stored_tags(call)};
}

}  // namespace

void PgCallRows::lock_call(const std::string& client_id, const std::string& call_id) {
  db_.run("SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))", {client_id, call_id});
}

std::optional<Call> find_call(Connection& connection, const std::string& client_id,
                              const std::string& call_id) {
  auto rows = connection.run("SELECT "s + call_columns + " FROM calls WHERE client_id = $1 AND id = $2",
                             {client_id, call_id});
  if (rows.rows() == 0) return std::nullopt;
  return read_call(rows, 0);
}

std::optional<Call> PgCallRows::find_call(const std::string& client_id, const std::string& call_id) {
  return pg::find_call(db_, client_id, call_id);
}

void PgCallRows::insert(const Call& call) {
  db_.run(
      "INSERT INTO calls ("s + call_columns +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,"
          " $20)",
      call_params(call));
}

void PgCallRows::update(const Call& call) {
  db_.run(
      "UPDATE calls SET phone_number = $3, status = $4, started_at = $5, ended_at = $6, created_at = $7,"
      " updated_at = $8, listen_url = $9, control_url = $10, ended_reason = $11, duration_seconds = $12,"
      " cost = $13, summary = $14, recording_url = $15, stereo_recording_url = $16, transcript_text = $17,"
      " notes = $18, disposition = $19, tags = $20 WHERE client_id = $1 AND id = $2",
      call_params(call));
}

bool PgCallRows::record_delivery(const std::string& client_id, const std::string& call_id,
                                 const std::string& key) {
  return db_.run("INSERT INTO delivery_keys (timeline_id, digest) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                 {param(timeline_of(client_id, call_id)), key})
             .affected() == 1;
}

// The key every row of this call's timeline hangs off, created with the call's first timeline row. The
// call is locked, so no other server creates it meanwhile.
std::int64_t PgCallRows::timeline_of(const std::string& client_id, const std::string& call_id) {
  const auto key = std::pair(client_id, call_id);
  if (const auto known = timelines_.find(key); known != timelines_.end()) return known->second;
  auto found =
      db_.run("SELECT id FROM timelines WHERE client_id = $1 AND call_id = $2", {client_id, call_id});
  const auto id = found.rows() > 0
                      ? found.integer(0, 0)
                      : db_.run("INSERT INTO timelines (client_id, call_id) VALUES ($1, $2) RETURNING id",
                                {client_id, call_id})
                            .integer(0, 0);
  timelines_.emplace(key, id);
  return id;
}

void PgCallRows::append_line(const Call& call, const TranscriptLine& line) {
  db_.run("INSERT INTO transcript_lines (timeline_id, role, text, at) VALUES ($1, $2, $3, $4)",
          {param(timeline_of(call.client_id, call.id)), line.role, line.text, line.at});
}

std::vector<TranscriptLine> PgCallRows::final_lines(const std::string& client_id,
                                                    const std::string& call_id) {
  auto rows = db_.run("SELECT role, text, at FROM transcript_lines WHERE timeline_id = $1 ORDER BY id",
                      {param(timeline_of(client_id, call_id))});
  std::vector<TranscriptLine> finals;
  for (int row = 0; row < rows.rows(); ++row) finals.push_back(read_transcript_line(rows, row));
  return finals;
}

void PgCallRows::store_report_transcript(const Call& call, const std::vector<TranscriptLine>& messages) {
  db_.run("UPDATE calls SET report_transcript = $3 WHERE client_id = $1 AND id = $2",
          {call.client_id, call.id, dump_json(json(messages))});
}

StatusEvent PgCallRows::insert_event(const EventRecord& record, const std::string& created_at) {
  auto inserted = db_.run(
      "INSERT INTO timeline_events (timeline_id, status, created_at, message_type, payload_form, payload)"
      " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {param(timeline_of(record.client_id, record.call_id)), record.status, created_at, record.message_type,
       param(stored_payload_form(record.payload_form)), dump_json(record.payload)});
  return StatusEvent{inserted.integer(0, 0), record.client_id,   record.call_id, record.status, created_at,
                     record.payload,         record.payload_form};
}

std::optional<PruneRows::Expired> PgPruneRows::next_expired(const PruneRequest& request) {
  auto rows = db_.run(
      "SELECT c.client_id, c.id, t.id FROM calls c LEFT JOIN timelines t"
      " ON t.client_id = c.client_id AND t.call_id = c.id WHERE "s +
          call_end + " < $1 AND ($2::text IS NULL OR c.client_id = $2) ORDER BY " + call_end + " LIMIT 1",
      {request.ended_before, request.client_id});
  if (rows.rows() == 0) return std::nullopt;
  return Expired{rows.text(0, 0), rows.text(0, 1), rows.optional_integer(0, 2)};
}

std::int64_t PgPruneRows::delete_some(TimelineRows rows, std::int64_t timeline, std::int64_t budget) {
  const char* sql = nullptr;
  switch (rows) {
    case TimelineRows::events:
      sql =
          "DELETE FROM timeline_events WHERE id IN"
          " (SELECT id FROM timeline_events WHERE timeline_id = $1 ORDER BY id LIMIT $2)";
      break;
    case TimelineRows::transcript_lines:
      sql =
          "DELETE FROM transcript_lines WHERE id IN"
          " (SELECT id FROM transcript_lines WHERE timeline_id = $1 LIMIT $2)";
      break;
    case TimelineRows::delivery_keys:
      sql =
          "DELETE FROM delivery_keys WHERE timeline_id = $1 AND digest IN"
          " (SELECT digest FROM delivery_keys WHERE timeline_id = $1 LIMIT $2)";
      break;
  }
  return db_.run(sql, {param(timeline), param(budget)}).affected();
}

void PgPruneRows::delete_timeline(std::int64_t timeline) {
  db_.run("DELETE FROM timelines WHERE id = $1", {param(timeline)});
}

void PgPruneRows::delete_call(const std::string& client_id, const std::string& call_id) {
  db_.run("DELETE FROM calls WHERE client_id = $1 AND id = $2", {client_id, call_id});
}

}  // namespace vapidash::pg
