#include "vapidash/store/call_pruner.hpp"

namespace vapidash::sqlite {

namespace {

// The calls a request expires, as a filter on `calls c`: ?1 the cutoff, ?2 the tenant or NULL.
const std::string expired_calls = std::string(call_end) + " < ?1 AND (?2 IS NULL OR c.client_id = ?2)";

std::string timelines_of_expired() {
  return "SELECT t.id FROM calls c JOIN timelines t ON t.client_id = c.client_id AND t.call_id = c.id "
         "WHERE " +
         expired_calls;
}

}  // namespace

CallPruner::CallPruner(Database& db)
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

PruneCounts CallPruner::step(const PruneRequest& request) {
  PruneCounts removed;
  while (removed.rows() < request.max_rows) {
    const auto expired = next_expired(request);
    if (!expired) {
      removed.finished = true;
      break;
    }
    if (expired->timeline) {
      if (!empty_timeline(*expired->timeline, request.max_rows - removed.rows(), removed)) break;
      delete_timeline_.reset().bind(1, *expired->timeline).run();
    }
    delete_call_.reset().bind(1, expired->client_id).bind(2, expired->call_id).run();
    ++removed.calls;
  }
  return removed;
}

std::optional<CallPruner::Expired> CallPruner::next_expired(const PruneRequest& request) {
  auto& stmt = next_expired_.reset().bind(1, request.ended_before).bind(2, request.client_id);
  std::optional<Expired> expired;
  if (stmt.step()) {
    expired = Expired{stmt.text(0), stmt.text(1), stmt.optional_integer(2)};
  }
  stmt.reset();
  return expired;
}

bool CallPruner::empty_timeline(std::int64_t timeline, std::int64_t budget, PruneCounts& removed) {
  for (auto [statement, counter] :
       {std::pair{&delete_events_, &removed.events}, std::pair{&delete_lines_, &removed.transcript_lines},
        std::pair{&delete_keys_, &removed.delivery_keys}}) {
    const auto deleted = delete_some(*statement, timeline, budget);
    *counter += deleted;
    budget -= deleted;
    if (budget <= 0) return false;
  }
  return true;
}

std::int64_t CallPruner::delete_some(Statement& statement, std::int64_t timeline, std::int64_t budget) {
  statement.reset().bind(1, timeline).bind(2, budget).run();
  return db_.changes();
}

PruneCounts CallPruner::count(const PruneRequest& request) {
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

}  // namespace vapidash::sqlite
