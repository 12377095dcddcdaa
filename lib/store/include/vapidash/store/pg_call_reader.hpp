#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vapidash/store/pg_connection.hpp"
#include "vapidash/store/store.hpp"

namespace vapidash::pg {

// A read connection; each read is one statement, so it sees one committed snapshot.
class PgCallReader {
 public:
  explicit PgCallReader(const ConnectionTarget& target) : db_(target) {}

  std::vector<Call> list_calls(const CallQuery& query);
  std::vector<StatusEvent> list_events(const EventQuery& query);
  std::optional<Call> find_call(const std::string& client_id, const std::string& call_id);
  std::optional<CallDetail> find_call_detail(const std::string& client_id, const std::string& call_id);
  // Whether the batch transaction that wrote `token` committed.
  bool committed(const std::string& token);
  bool broken() const { return db_.broken(); }

 private:
  Connection db_;
};

}  // namespace vapidash::pg
