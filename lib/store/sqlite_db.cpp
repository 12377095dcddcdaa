#include "vapidash/store/sqlite_db.hpp"

#include <sqlite3.h>

#include "vapidash/error.hpp"

namespace vapidash::sqlite {

void check(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw store_error(std::string(what) + ": " + detail);
}

void Database::closer::operator()(sqlite3* db) const noexcept {
  sqlite3_close_v2(db);
}

Database::Database(const std::string& path, bool read_only) {
  sqlite3* raw = nullptr;
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  db_.reset(raw);
  check(raw, rc, "cannot open database " + path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
}

void Database::exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw store_error(std::string("SQL failed (") + sql + "): " + detail);
  }
}

Statement Database::prepare(std::string_view sql) {
  return Statement(db_.get(), sql);
}

Statement& Database::cached(std::string_view sql) {
  auto found = cached_.find(sql);
  if (found == cached_.end()) found = cached_.try_emplace(std::string(sql), db_.get(), sql).first;
  return found->second;
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}

int Database::changes() const {
  return sqlite3_changes(db_.get());
}

void Statement::finalizer::operator()(sqlite3_stmt* stmt) const noexcept {
  sqlite3_finalize(stmt);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &raw, nullptr);
  stmt_.reset(raw);
  check(db, rc, "cannot prepare statement");
}

Statement& Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  check(db_,
        sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT),
        "bind");
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  check(db_, sqlite3_bind_int64(stmt_.get(), index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Statement& Statement::bind(int index, double value) {
  check(db_, sqlite3_bind_double(stmt_.get(), index, value), "bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  check(db_, sqlite3_bind_null(stmt_.get(), index), "bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  check(db_, rc, "SQL step failed");
  return false;
}

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), column));
  return data != nullptr
             ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column)))
             : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL) return std::nullopt;
  return text(column);
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::optional<double> Statement::optional_real(int column) const {
  if (sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(stmt_.get(), column);
}

std::optional<std::int64_t> Statement::optional_integer(int column) const {
  if (sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt_.get(), column);
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.cached("BEGIN IMMEDIATE").reset().run();
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    db_.cached("ROLLBACK").reset().run();
  } catch (const store_error&) {
    // Nothing to roll back: a failed COMMIT already ended the transaction.
  }
}

void Transaction::commit() {
  if (savepoint_failed_)
    throw store_error("a refused write could not be rolled back; the batch is not committed");
  db_.cached("COMMIT").reset().run();
  open_ = false;
}

Savepoint::Savepoint(Transaction& transaction) : transaction_(transaction) {
  transaction_.db_.cached("SAVEPOINT write").reset().run();
}

Savepoint::~Savepoint() {
  if (!open_) return;
  try {
    transaction_.db_.cached("ROLLBACK TO write").reset().run();
    transaction_.db_.cached("RELEASE write").reset().run();
  } catch (const store_error&) {
    transaction_.savepoint_failed_ = true;
  }
}

void Savepoint::release() {
  transaction_.db_.cached("RELEASE write").reset().run();
  open_ = false;
}

}  // namespace vapidash::sqlite
