#pragma once

#include <optional>
#include <string>

#include "model/call_update.hpp"
#include "model/timestamp.hpp"
#include "store/sqlite_db.hpp"

namespace vapidash::sqlite {

// The SQL of every write, run on the writer connection inside the writer's open transaction.
class CallWriter {
 public:
  explicit CallWriter(Database& db);

  CallUpdateOutcome apply(const CallUpdate& update);
  std::int64_t log_event(const EventRecord& record);

 private:
  std::optional<Call> find(const std::string& client_id, const std::string& call_id);
  std::string unique_debug_id(const std::string& client_id, timestamp now);
  void insert(const Call& call);
  void update(const Call& call);
  std::int64_t insert_event(const EventRecord& record, const std::string& created_at);

  Database& db_;
  Statement select_call_;
  Statement insert_call_;
  Statement update_call_;
  Statement insert_event_;
};

}  // namespace vapidash::sqlite
