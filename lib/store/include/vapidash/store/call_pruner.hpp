#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vapidash/store/sqlite_db.hpp"
#include "vapidash/store/store.hpp"

namespace vapidash::sqlite {

// When a call `c` ended: its ended_at, or for a call a debug update ended (which sets no ended_at) its last
// update. NULL while it has not ended. The calls_by_end index is on this expression.
inline constexpr const char* call_end =
    "coalesce(c.ended_at, CASE WHEN c.status = 'ended' THEN c.updated_at END)";

// Retention's SQL, on a writer connection. step() runs inside the caller's transaction; a call whose rows
// do not fit in one step is finished by the next (its call row goes last, so it is found again).
class CallPruner {
 public:
  explicit CallPruner(Database& db);

  PruneCounts step(const PruneRequest& request);
  // What pruning `request` to the end would remove; changes nothing.
  PruneCounts count(const PruneRequest& request);

 private:
  struct Expired {
    std::string client_id;
    std::string call_id;
    std::optional<std::int64_t> timeline;
  };
  std::optional<Expired> next_expired(const PruneRequest& request);
  // Removes up to `budget` rows of the timeline; true when none are left.
  bool empty_timeline(std::int64_t timeline, std::int64_t budget, PruneCounts& removed);
  std::int64_t delete_some(Statement& statement, std::int64_t timeline, std::int64_t budget);

  Database& db_;
  Statement next_expired_;
  Statement delete_events_;
  Statement delete_lines_;
  Statement delete_keys_;
  Statement delete_timeline_;
  Statement delete_call_;
};

}  // namespace vapidash::sqlite
