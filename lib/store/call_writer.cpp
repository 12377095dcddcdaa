#include "store/call_writer.hpp"

#include <string>

#include "model/timestamp.hpp"
#include "store/call_reader.hpp"
#include "wire/json.hpp"

namespace vapidash::sqlite {

using namespace std::string_literals;

CallWriter::CallWriter(Database& db)
    : db_(db),
      select_call_(db.prepare("SELECT "s + call_columns + " FROM calls WHERE client_id = ?1 AND id = ?2")),
      insert_call_(db.prepare("INSERT INTO calls ("s + call_columns +
                              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")),
      update_call_(
          db.prepare("UPDATE calls SET phone_number = ?3, status = ?4, started_at = ?5, ended_at = ?6,"
                     " updated_at = ?8, listen_url = ?9 WHERE client_id = ?1 AND id = ?2")),
      insert_event_(
          db.prepare("INSERT INTO call_status_events (client_id, call_id, status, created_at, payload)"
                     " VALUES (?1, ?2, ?3, ?4, ?5)")),
      begin_(db.prepare("BEGIN IMMEDIATE")),
      commit_(db.prepare("COMMIT")),
      rollback_(db.prepare("ROLLBACK")),
      savepoint_(db.prepare("SAVEPOINT write")),
      release_(db.prepare("RELEASE write")),
      rollback_to_(db.prepare("ROLLBACK TO write")) {}

CallUpdateOutcome CallWriter::apply(const CallUpdate& update) {
  const auto now = now_utc();
  const auto now_text = format_timestamp(now);
  const auto call_id = update.call_id.empty() ? unique_debug_id(update.client_id, now) : update.call_id;
  auto existing = find(update.client_id, call_id);

  CallUpdateOutcome outcome;
  outcome.updated = existing.has_value();
  if (existing) {
    outcome.call = std::move(*existing);
    if (update.status) outcome.call.status = *update.status;
    if (update.phone_number) outcome.call.phone_number = *update.phone_number;
    outcome.call.updated_at = now_text;
    this->update(outcome.call);
  } else {
    outcome.call = Call{update.client_id,
                        call_id,
                        update.phone_number.value_or(default_phone_number),
                        update.status.value_or(default_status),
                        now_text,
                        std::nullopt,
                        now_text,
                        now_text,
                        std::nullopt};
    insert(outcome.call);
  }
  outcome.status_event_id = insert_event(
      EventRecord{update.client_id, call_id, outcome.call.status, update.event_payload}, now_text);
  return outcome;
}

std::int64_t CallWriter::log_event(const EventRecord& record) {
  return insert_event(record, format_timestamp(now_utc()));
}

std::optional<Call> CallWriter::find(const std::string& client_id, const std::string& call_id) {
  auto& stmt = select_call_.reset().bind(1, client_id).bind(2, call_id);
  std::optional<Call> call;
  if (stmt.step()) call = read_call(stmt);
  stmt.reset();
  return call;
}

// Two creates in the same second must be two calls: the second gets "-2", the third "-3", and so on.
std::string CallWriter::unique_debug_id(const std::string& client_id, timestamp now) {
  const auto base = "debug-" + std::to_string(unix_seconds(now));
  if (!find(client_id, base)) return base;
  for (int suffix = 2;; ++suffix) {
    auto candidate = base + "-" + std::to_string(suffix);
    if (!find(client_id, candidate)) return candidate;
  }
}

void CallWriter::insert(const Call& call) {
  insert_call_.reset()
      .bind(1, call.client_id)
      .bind(2, call.id)
      .bind(3, call.phone_number)
      .bind(4, call.status)
      .bind(5, call.started_at)
      .bind(6, call.ended_at)
      .bind(7, call.created_at)
      .bind(8, call.updated_at)
      .bind(9, call.listen_url)
      .run();
}

void CallWriter::update(const Call& call) {
  update_call_.reset()
      .bind(1, call.client_id)
      .bind(2, call.id)
      .bind(3, call.phone_number)
      .bind(4, call.status)
      .bind(5, call.started_at)
      .bind(6, call.ended_at)
      .bind(8, call.updated_at)
      .bind(9, call.listen_url)
      .run();
}

std::int64_t CallWriter::insert_event(const EventRecord& record, const std::string& created_at) {
  insert_event_.reset()
      .bind(1, record.client_id)
      .bind(2, record.call_id)
      .bind(3, record.status)
      .bind(4, created_at)
      .bind(5, dump_json(record.payload))
      .run();
  return db_.last_insert_rowid();
}

}  // namespace vapidash::sqlite
