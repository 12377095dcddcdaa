#include "vapidash/store/call_pruner.hpp"

namespace vapidash {

PruneCounts CallPruner::step(const PruneRequest& request) {
  PruneCounts removed;
  while (removed.rows() < request.max_rows) {
    const auto expired = rows_.next_expired(request);
    if (!expired) {
      removed.finished = true;
      break;
    }
    rows_.lock_call(expired->client_id, expired->call_id);
    if (expired->timeline) {
      if (!empty_timeline(*expired->timeline, request.max_rows - removed.rows(), removed)) break;
      rows_.delete_timeline(*expired->timeline);
    }
    rows_.delete_call(expired->client_id, expired->call_id);
    ++removed.calls;
  }
  return removed;
}

bool CallPruner::empty_timeline(std::int64_t timeline, std::int64_t budget, PruneCounts& removed) {
  using Rows = PruneRows::TimelineRows;
  for (auto [rows, counter] : {std::pair{Rows::events, &removed.events},
                               std::pair{Rows::transcript_lines, &removed.transcript_lines},
                               std::pair{Rows::delivery_keys, &removed.delivery_keys}}) {
    const auto deleted = rows_.delete_some(rows, timeline, budget);
    *counter += deleted;
    budget -= deleted;
    if (budget <= 0) return false;
  }
  return true;
}

namespace sqlite {

namespace {

// The calls a request expires, as a filter on `calls c`: ?1 the cutoff, ?2 the tenant or NULL.
const std::string expired_calls = std::string(call_end) + " < ?1 AND (?2 IS NULL OR c.client_id = ?2)";

std::string timelines_of_expired() {
  return "SELECT t.id FROM calls c JOIN timelines t ON t.client_id = c.client_id AND t.call_id = c.id "
         "WHERE " +
         expired_calls;
}

}  // namespace

SqlitePruneRows::SqlitePruneRows(Database& db)
    : db_(db),
      next_expired_(db.prepare(std::string("SELECT c.client_id, c.id, t.id FROM calls c LEFT JOIN timelines t"
                                           " ON t.client_id = c.client_id AND t.call_id = c.id WHERE ") +
                               expired_calls + " ORDER BY " + call_end + " LIMIT 1")),
      delete_events_(
          db.prepare("DELETE FROM timeline_events WHERE id IN"
                     " (SELECT id FROM timeline_events WHERE timeline_id = ?1 ORDER BY id LIMIT ?2)")),
      delete_lines_(db.prepare("DELETE FROM transcript_lines WHERE id IN"
                               " (SELECT id FROM transcript_lines WHERE timeline_id = ?1 LIMIT ?2)")),
      delete_keys_(db.prepare("DELETE FROM delivery_keys WHERE timeline_id = ?1 AND digest IN"
                              " (SELECT digest FROM delivery_keys WHERE timeline_id = ?1 LIMIT ?2)")),
      delete_timeline_(db.prepare("DELETE FROM timelines WHERE id = ?1")),
      delete_call_(db.prepare("DELETE FROM calls WHERE client_id = ?1 AND id = ?2")) {}

std::optional<PruneRows::Expired> SqlitePruneRows::next_expired(const PruneRequest& request) {
  auto& stmt = next_expired_.reset().bind(1, request.ended_before).bind(2, request.client_id);
  std::optional<Expired> expired;
  if (stmt.step()) {
    expired = Expired{stmt.text(0), stmt.text(1), stmt.optional_integer(2)};
  }
  stmt.reset();
  return expired;
}

Statement& SqlitePruneRows::deleting(TimelineRows rows) {
  switch (rows) {
    case TimelineRows::events:
      return delete_events_;
    case TimelineRows::transcript_lines:
      return delete_lines_;
    case TimelineRows::delivery_keys:
      break;
  }
  return delete_keys_;
}

std::int64_t SqlitePruneRows::delete_some(TimelineRows rows, std::int64_t timeline, std::int64_t budget) {
  deleting(rows).reset().bind(1, timeline).bind(2, budget).run();
  return db_.changes();
}

void SqlitePruneRows::delete_timeline(std::int64_t timeline) {
  delete_timeline_.reset().bind(1, timeline).run();
}

void SqlitePruneRows::delete_call(const std::string& client_id, const std::string& call_id) {
  delete_call_.reset().bind(1, client_id).bind(2, call_id).run();
}

PruneCounts SqlitePruneRows::count(const PruneRequest& request) {
  const auto timelines = timelines_of_expired();
  auto counted = db_.prepare(std::string("SELECT (SELECT count(*) FROM calls c WHERE ") + expired_calls +
                             "),"
                             " (SELECT count(*) FROM timeline_events WHERE timeline_id IN (" +
                             timelines +
                             ")),"
                             " (SELECT count(*) FROM transcript_lines WHERE timeline_id IN (" +
                             timelines +
                             ")),"
                             " (SELECT count(*) FROM delivery_keys WHERE timeline_id IN (" +
                             timelines + "))");
  counted.bind(1, request.ended_before).bind(2, request.client_id);
  counted.step();
  return PruneCounts{counted.integer(0), counted.integer(1), counted.integer(2), counted.integer(3), true};
}

}  // namespace sqlite
}  // namespace vapidash
