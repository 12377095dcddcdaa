#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vapidash/store/sqlite_db.hpp"
#include "vapidash/store/store.hpp"
#include "vapidash/store/stored_call.hpp"

namespace vapidash {

// One engine's retention SQL, run inside the writer's open transaction.
class PruneRows {
 public:
  struct Expired {
    std::string client_id;
    std::string call_id;
    std::optional<std::int64_t> timeline;
  };
  enum class TimelineRows { events, transcript_lines, delivery_keys };

  virtual ~PruneRows() = default;
  // The call `request` expires that ended first.
  virtual std::optional<Expired> next_expired(const PruneRequest& request) = 0;
  virtual void lock_call(const std::string& client_id, const std::string& call_id) = 0;
  // Removes up to `budget` rows of one kind from a timeline; how many it removed.
  virtual std::int64_t delete_some(TimelineRows rows, std::int64_t timeline, std::int64_t budget) = 0;
  virtual void delete_timeline(std::int64_t timeline) = 0;
  virtual void delete_call(const std::string& client_id, const std::string& call_id) = 0;
};

// One step of retention on any engine. A call whose rows do not fit in one step is finished by the next
// (its call row goes last, so it is found again).
class CallPruner {
 public:
  explicit CallPruner(PruneRows& rows) : rows_(rows) {}
  PruneCounts step(const PruneRequest& request);

 private:
  // Removes up to `budget` rows of the timeline; true when none are left.
  bool empty_timeline(std::int64_t timeline, std::int64_t budget, PruneCounts& removed);

  PruneRows& rows_;
};

namespace sqlite {

class SqlitePruneRows final : public PruneRows {
 public:
  explicit SqlitePruneRows(Database& db);

  std::optional<Expired> next_expired(const PruneRequest& request) override;
  void lock_call(const std::string&, const std::string&) override {}
  std::int64_t delete_some(TimelineRows rows, std::int64_t timeline, std::int64_t budget) override;
  void delete_timeline(std::int64_t timeline) override;
  void delete_call(const std::string& client_id, const std::string& call_id) override;

  // What pruning `request` to the end would remove; changes nothing.
  PruneCounts count(const PruneRequest& request);

 private:
  Statement& deleting(TimelineRows rows);

  Database& db_;
  Statement next_expired_;
  Statement delete_events_;
  Statement delete_lines_;
  Statement delete_keys_;
  Statement delete_timeline_;
  Statement delete_call_;
};

}  // namespace sqlite
}  // namespace vapidash
