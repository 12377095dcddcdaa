#pragma once

#include <optional>
#include <string>

#include "vapidash/model/call_update.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/store/sqlite_db.hpp"

namespace vapidash::sqlite {

// The SQL of every write, run on the writer connection inside the writer's open transaction.
class CallWriter {
 public:
  explicit CallWriter(Database& db);

  CallUpdateOutcome apply(const CallUpdate& update);
  std::int64_t log_event(const EventRecord& record);

  // The batch transaction and the savepoint around each write in it, prepared once.
  void begin() { begin_.reset().run(); }
  void commit() { commit_.reset().run(); }
  void rollback() { rollback_.reset().run(); }
  void savepoint() { savepoint_.reset().run(); }
  void release() { release_.reset().run(); }
  void rollback_to_savepoint() {
    rollback_to_.reset().run();
    release();
  }

 private:
  CallUpdateOutcome apply_debug(const CallUpdate& update, timestamp now);
  CallUpdateOutcome apply_webhook(const CallUpdate& update, timestamp now);
  bool record_delivery(const std::string& client_id, const std::string& key, const std::string& now);
  std::optional<Call> find(const std::string& client_id, const std::string& call_id);
  std::string unique_debug_id(const std::string& client_id, timestamp now);
  void insert(const Call& call);
  void update(const Call& call);
  void append_line(const Call& call, const TranscriptLine& line);
  void store_report_transcript(const Call& call, const CallReport& report);
  std::int64_t insert_event(const EventRecord& record, const std::string& created_at);

  Database& db_;
  Statement select_call_;
  Statement insert_call_;
  Statement update_call_;
  Statement insert_event_;
  Statement insert_delivery_;
  Statement insert_line_;
  Statement update_report_transcript_;
  Statement begin_;
  Statement commit_;
  Statement rollback_;
  Statement savepoint_;
  Statement release_;
  Statement rollback_to_;
};

}  // namespace vapidash::sqlite
