#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vapidash/store/sqlite_db.hpp"
#include "vapidash/store/store.hpp"
#include "vapidash/store/stored_call.hpp"

namespace vapidash::sqlite {

// A read-only connection with its statements prepared once.
class CallReader {
 public:
  explicit CallReader(const std::string& path);

  std::vector<Call> list_calls(const CallQuery& query);
  std::vector<StatusEvent> list_events(const EventQuery& query);
  std::optional<Call> find_call(const std::string& client_id, const std::string& call_id);
  std::optional<CallDetail> find_call_detail(const std::string& client_id, const std::string& call_id);
  bool broken() const noexcept { return false; }  // a file does not drop its connections

 private:
  Database db_;
  Statement list_calls_;
  Statement list_events_;
  Statement list_lines_;
  Statement report_transcript_;
};

Call read_call(const Statement& row);

// A transcript line from a row of "SELECT role, text, at FROM transcript_lines".
TranscriptLine read_transcript_line(const Statement& row);

// The one SELECT of a call by its key, on any connection: the writer's merges and the readers' answers read
// a call the same way.
std::optional<Call> find_call(Database& db, const std::string& client_id, const std::string& call_id);

}  // namespace vapidash::sqlite
