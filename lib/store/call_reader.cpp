#include "store/call_reader.hpp"

#include <string>

#include "wire/json.hpp"

namespace vapidash::sqlite {

using namespace std::string_literals;

Call read_call(const Statement& row) {
  return Call{row.text(0),          row.text(1), row.text(2), row.text(3),         row.optional_text(4),
              row.optional_text(5), row.text(6), row.text(7), row.optional_text(8)};
}

CallReader::CallReader(const std::string& path)
    : db_(path, true),
      list_calls_(db_.prepare("SELECT "s + call_columns +
                              " FROM calls WHERE client_id = ?1 AND (?2 IS NULL OR status = ?2)"
                              " AND (?3 IS NULL OR created_at < ?3)"
                              " ORDER BY created_at DESC, rowid DESC LIMIT ?4")),
      list_events_(
          db_.prepare("SELECT id, client_id, call_id, status, created_at, payload FROM call_status_events"
                      " WHERE client_id = ?1 AND call_id = ?2 ORDER BY id")),
      find_call_(db_.prepare("SELECT "s + call_columns + " FROM calls WHERE client_id = ?1 AND id = ?2")) {}

std::vector<Call> CallReader::list_calls(const CallQuery& query) {
  auto& stmt = list_calls_.reset()
                   .bind(1, query.client_id)
                   .bind(2, query.status)
                   .bind(3, query.before)
                   .bind(4, query.limit.value_or(-1));
  std::vector<Call> calls;
  while (stmt.step()) calls.push_back(read_call(stmt));
  stmt.reset();
  return calls;
}

std::vector<StatusEvent> CallReader::list_events(const std::string& client_id, const std::string& call_id) {
  auto& stmt = list_events_.reset().bind(1, client_id).bind(2, call_id);
  std::vector<StatusEvent> events;
  while (stmt.step()) {
    events.push_back(StatusEvent{stmt.integer(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4),
                                 json::parse(stmt.text(5))});
  }
  stmt.reset();
  return events;
}

std::optional<Call> CallReader::find_call(const std::string& client_id, const std::string& call_id) {
  auto& stmt = find_call_.reset().bind(1, client_id).bind(2, call_id);
  std::optional<Call> call;
  if (stmt.step()) call = read_call(stmt);
  stmt.reset();
  return call;
}

}  // namespace vapidash::sqlite
