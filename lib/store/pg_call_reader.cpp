#include "vapidash/store/pg_call_reader.hpp"

#include "vapidash/store/pg_call_rows.hpp"
#include "vapidash/store/stored_call.hpp"
#include "vapidash/wire/call_json.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::pg {

using namespace std::string_literals;

namespace {
std::optional<std::string> optional_param(const std::optional<std::int64_t>& value) {
  if (!value) return std::nullopt;
  return param(*value);
}
}  // namespace

std::vector<Call> PgCallReader::list_calls(const CallQuery& query) {
  // A range the index can seek to: each page of a long list starts where the last ended.
  auto rows =
      db_.run("SELECT "s + call_columns +
                  " FROM calls WHERE client_id = $1 AND ($2::text IS NULL OR status = $2)"
                  " AND ($3::text IS NULL OR created_at < $3 OR (created_at = $3 AND seq <"
                  " (SELECT seq FROM calls WHERE client_id = $1 AND id = $5)))"
                  " ORDER BY created_at DESC, seq DESC LIMIT $4::bigint",
              {query.client_id, query.status, query.before, optional_param(query.limit), query.before_id});
  std::vector<Call> calls;
  calls.reserve(static_cast<std::size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) calls.push_back(read_call(rows, row));
  return calls;
}

std::vector<StatusEvent> PgCallReader::list_events(const EventQuery& query) {
  auto rows = db_.run(
      "SELECT id, status, created_at, payload_form, payload FROM timeline_events"
      " WHERE timeline_id = (SELECT id FROM timelines WHERE client_id = $1 AND call_id = $2)"
      " AND id > $3 ORDER BY id LIMIT $4::bigint",
      {query.client_id, query.call_id, param(query.after_id), optional_param(query.limit)});
  std::vector<StatusEvent> events;
  for (int row = 0; row < rows.rows(); ++row) {
    events.push_back(StatusEvent{rows.integer(row, 0), query.client_id, query.call_id, rows.text(row, 1),
                                 rows.text(row, 2), json::parse(rows.text(row, 4)),
                                 payload_form_from_stored(rows.integer(row, 3))});
  }
  return events;
}

std::optional<Call> PgCallReader::find_call(const std::string& client_id, const std::string& call_id) {
  return pg::find_call(db_, client_id, call_id);
}

// The live transcript's final lines; a call that had none shows the end-of-call report's messages instead.
// One statement, so the call and its lines are of one commit.
std::optional<CallDetail> PgCallReader::find_call_detail(const std::string& client_id,
                                                         const std::string& call_id) {
  auto rows =
      db_.run("SELECT "s + call_columns +
                  ", report_transcript, (SELECT coalesce(json_agg(json_build_array(l.role, l.text, l.at) "
                  "ORDER BY l.id),"
                  " '[]')::text FROM transcript_lines l JOIN timelines t ON t.id = l.timeline_id"
                  " WHERE t.client_id = $1 AND t.call_id = $2) FROM calls WHERE client_id = $1 AND id = $2",
              {client_id, call_id});
  if (rows.rows() == 0) return std::nullopt;
  CallDetail detail{read_call(rows, 0), {}};
  for (const auto& line : json::parse(rows.text(0, 21))) {
    detail.transcript.push_back(
        TranscriptLine{line.at(0).get<std::string>(), line.at(1).get<std::string>(),
                       line.at(2).is_null() ? std::nullopt : std::optional(line.at(2).get<std::string>())});
  }
  if (detail.transcript.empty()) {
    if (const auto stored = rows.optional_text(0, 20)) detail.transcript = json::parse(*stored);
  }
  return detail;
}

bool PgCallReader::committed(const std::string& token) {
  return db_.run("SELECT 1 FROM batch_tokens WHERE token = $1", {token}).rows() > 0;
}

}  // namespace vapidash::pg
