#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vapidash/store/call_rows.hpp"
#include "vapidash/store/sqlite_db.hpp"

namespace vapidash::sqlite {

// CallRows on the writer connection, its statements prepared once. One writer thread per file: locking a
// call has nothing to do.
class SqliteCallRows final : public CallRows {
 public:
  explicit SqliteCallRows(Database& db);

  void lock_call(const std::string&, const std::string&) override {}
  std::optional<Call> find_call(const std::string& client_id, const std::string& call_id) override;
  void insert(const Call& call) override;
  void update(const Call& call) override;
  bool record_delivery(const std::string& client_id, const std::string& call_id,
                       const std::string& key) override;
  void append_line(const Call& call, const TranscriptLine& line) override;
  std::vector<TranscriptLine> final_lines(const std::string& client_id, const std::string& call_id) override;
  void store_report_transcript(const Call& call, const std::vector<TranscriptLine>& messages) override;
  StatusEvent insert_event(const EventRecord& record, const std::string& created_at) override;

 private:
  std::int64_t timeline_of(const std::string& client_id, const std::string& call_id);

  Database& db_;
  Statement insert_call_;
  Statement update_call_;
  Statement find_timeline_;
  Statement insert_timeline_;
  Statement insert_event_;
  Statement insert_delivery_;
  Statement insert_line_;
  Statement list_lines_;
  Statement update_report_transcript_;
};

}  // namespace vapidash::sqlite
