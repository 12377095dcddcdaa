#include "vapidash/store/call_reader.hpp"

#include <string>

#include "vapidash/wire/call_json.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::sqlite {

using namespace std::string_literals;

Call read_call(const Statement& row) {
  Call call;
  call.client_id = row.text(0);
  call.id = row.text(1);
  call.phone_number = row.text(2);
  call.status = row.text(3);
  call.started_at = row.optional_text(4);
  call.ended_at = row.optional_text(5);
  call.created_at = row.text(6);
  call.updated_at = row.text(7);
  call.listen_url = row.optional_text(8);
  call.control_url = row.optional_text(9);
  call.ended_reason = row.optional_text(10);
  call.duration_seconds = row.optional_real(11);
  call.cost = row.optional_real(12);
  call.summary = row.optional_text(13);
  call.recording_url = row.optional_text(14);
  call.stereo_recording_url = row.optional_text(15);
  call.transcript_text = row.optional_text(16);
  call.notes = row.optional_text(17);
  call.disposition = row.optional_text(18);
  call.tags = tags_from_stored(row.optional_text(19));
  return call;
}

TranscriptLine read_transcript_line(const Statement& row) {
  return TranscriptLine{row.text(0), row.text(1), row.optional_text(2)};
}

CallReader::CallReader(const std::string& path)
    : db_(path, true),
      list_calls_(db_.prepare("SELECT "s + call_columns +
                              " FROM calls WHERE client_id = ?1 AND (?2 IS NULL OR status = ?2)"
                              // A range the index can seek to: each page of a long list starts where the
                              // last ended instead of scanning the newer calls again.
                              " AND created_at <= ifnull(?3, '~')"
                              " AND (?3 IS NULL OR created_at < ?3 OR (created_at = ?3 AND rowid <"
                              " (SELECT rowid FROM calls WHERE client_id = ?1 AND id = ?5)))"
                              " ORDER BY created_at DESC, rowid DESC LIMIT ?4")),
      list_events_(
          db_.prepare("SELECT id, status, created_at, payload_form, payload FROM timeline_events"
                      " WHERE timeline_id = (SELECT id FROM timelines WHERE client_id = ?1 AND call_id = ?2)"
                      " AND id > ?3 ORDER BY id LIMIT ?4")),
      list_lines_(db_.prepare("SELECT role, text, at FROM transcript_lines"
                              " WHERE timeline_id = (SELECT id FROM timelines WHERE client_id = ?1 AND "
                              "call_id = ?2) ORDER BY id")),
      report_transcript_(
          db_.prepare("SELECT report_transcript FROM calls WHERE client_id = ?1 AND id = ?2")) {}

std::vector<Call> CallReader::list_calls(const CallQuery& query) {
  auto& stmt = list_calls_.reset()
                   .bind(1, query.client_id)
                   .bind(2, query.status)
                   .bind(3, query.before)
                   .bind(4, query.limit.value_or(-1))
                   .bind(5, query.before_id);
  std::vector<Call> calls;
  while (stmt.step()) calls.push_back(read_call(stmt));
  stmt.reset();
  return calls;
}

std::vector<StatusEvent> CallReader::list_events(const EventQuery& query) {
  auto& stmt = list_events_.reset()
                   .bind(1, query.client_id)
                   .bind(2, query.call_id)
                   .bind(3, query.after_id)
                   .bind(4, query.limit.value_or(-1));
  std::vector<StatusEvent> events;
  while (stmt.step()) {
    events.push_back(StatusEvent{stmt.integer(0), query.client_id, query.call_id, stmt.text(1), stmt.text(2),
                                 json::parse(stmt.text(4)), payload_form_from_stored(stmt.integer(3))});
  }
  stmt.reset();
  return events;
}

std::optional<Call> find_call(Database& db, const std::string& client_id, const std::string& call_id) {
  // Built once: this runs for every write's merge and every detail read.
  static const std::string select =
      "SELECT "s + call_columns + " FROM calls WHERE client_id = ?1 AND id = ?2";
  auto& stmt = db.cached(select).reset().bind(1, client_id).bind(2, call_id);
  std::optional<Call> call;
  if (stmt.step()) call = read_call(stmt);
  stmt.reset();
  return call;
}

std::optional<Call> CallReader::find_call(const std::string& client_id, const std::string& call_id) {
  return sqlite::find_call(db_, client_id, call_id);
}

// The live transcript's final lines; a call that had none shows the end-of-call report's messages instead.
std::optional<CallDetail> CallReader::find_call_detail(const std::string& client_id,
                                                       const std::string& call_id) {
  auto call = find_call(client_id, call_id);
  if (!call) return std::nullopt;
  CallDetail detail{std::move(*call), {}};
  auto& lines = list_lines_.reset().bind(1, client_id).bind(2, call_id);
  while (lines.step()) detail.transcript.push_back(read_transcript_line(lines));
  lines.reset();
  if (detail.transcript.empty()) {
    auto& report = report_transcript_.reset().bind(1, client_id).bind(2, call_id);
    if (report.step()) {
      if (const auto stored = report.optional_text(0)) detail.transcript = json::parse(*stored);
    }
    report.reset();
  }
  return detail;
}

}  // namespace vapidash::sqlite
