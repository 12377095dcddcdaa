#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vapidash/store/call_pruner.hpp"
#include "vapidash/store/call_rows.hpp"
#include "vapidash/store/pg_connection.hpp"

namespace vapidash::pg {

// A call row from "SELECT call_columns".
Call read_call(const Result& rows, int row);
TranscriptLine read_transcript_line(const Result& rows, int row);
// The one SELECT of a call by its key, on any connection: writers' merges and readers' answers read it alike.
std::optional<Call> find_call(Connection& connection, const std::string& client_id,
                              const std::string& call_id);

// CallRows on a writer connection shared with other servers: every write of a call first takes a
// transaction-scoped advisory lock on the call's key, so two servers' merges of one call take turns and each
// sees what the other committed.
class PgCallRows final : public CallRows {
 public:
  explicit PgCallRows(Connection& connection) : db_(connection) {}

  void lock_call(const std::string& client_id, const std::string& call_id) override;
  std::optional<Call> find_call(const std::string& client_id, const std::string& call_id) override;
  void insert(const Call& call) override;
  void update(const Call& call) override;
  bool record_delivery(const std::string& client_id, const std::string& call_id,
                       const std::string& key) override;
  void append_line(const Call& call, const TranscriptLine& line) override;
  std::vector<TranscriptLine> final_lines(const std::string& client_id, const std::string& call_id) override;
  void store_report_transcript(const Call& call, const std::vector<TranscriptLine>& messages) override;
  StatusEvent insert_event(const EventRecord& record, const std::string& created_at) override;

  // The transaction ended or rolled back: timeline ids it looked up or created may not exist.
  void forget_timelines() { timelines_.clear(); }

 private:
  std::int64_t timeline_of(const std::string& client_id, const std::string& call_id);

  Connection& db_;
  // Timeline ids this transaction already knows: a write needs its call's up to four times.
  std::map<std::pair<std::string, std::string>, std::int64_t> timelines_;
};

class PgPruneRows final : public PruneRows {
 public:
  explicit PgPruneRows(Connection& connection) : db_(connection), locks_(connection) {}

  std::optional<Expired> next_expired(const PruneRequest& request) override;
  void lock_call(const std::string& client_id, const std::string& call_id) override {
    locks_.lock_call(client_id, call_id);
  }
  std::int64_t delete_some(TimelineRows rows, std::int64_t timeline, std::int64_t budget) override;
  void delete_timeline(std::int64_t timeline) override;
  void delete_call(const std::string& client_id, const std::string& call_id) override;

 private:
  Connection& db_;
  PgCallRows locks_;
};

}  // namespace vapidash::pg
