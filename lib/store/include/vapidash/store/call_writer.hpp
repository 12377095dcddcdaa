#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vapidash/model/call_update.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/store/call_pruner.hpp"
#include "vapidash/store/sqlite_db.hpp"

namespace vapidash::sqlite {

// The SQL of every write, run on the writer connection inside the writer's open transaction.
class CallWriter {
 public:
  explicit CallWriter(Database& db);

  CallUpdateOutcome apply(const CallUpdate& update);
  StatusEvent log_event(const EventRecord& record);
  PruneCounts prune(const PruneRequest& request) { return pruner_.step(request); }

  Database& db() noexcept { return db_; }

 private:
  CallUpdateOutcome apply_debug(const CallUpdate& update, timestamp now);
  CallUpdateOutcome apply_webhook(const CallUpdate& update, timestamp now);
  CallUpdateOutcome on_existing_call(const CallUpdate& update);
  CallUpdateOutcome apply_annotations(const CallUpdate& update, const std::string& now);
  std::optional<LiveTranscript> live_transcript(const CallUpdate& update);
  CallUpdateOutcome log_on_existing_call(const CallUpdate& update, const std::string& now);
  bool record_delivery(const std::string& client_id, const std::string& call_id, const std::string& key);
  std::int64_t timeline_of(const std::string& client_id, const std::string& call_id);
  std::string unique_debug_id(const std::string& client_id, timestamp now);
  void insert(const Call& call);
  void update(const Call& call);
  void append_line(const Call& call, const TranscriptLine& line);
  void store_report_transcript(const Call& call, const CallReport& report);
  StatusEvent insert_event(const EventRecord& record, const std::string& created_at);
  static EventRecord webhook_event(const CallUpdate& update, const Call& call);
  void log_update_event(CallUpdateOutcome& outcome, const EventRecord& record, const std::string& now);

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
  CallPruner pruner_;
};

}  // namespace vapidash::sqlite
