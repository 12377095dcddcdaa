#include "vapidash/store/pg_connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <regex>

namespace vapidash::pg {

namespace {

// Passwords a connection string may carry, hidden before libpq's complaint about it is shown.
std::string scrub_unparsed(const std::string& text) {
  static const std::regex uri_password(R"(://([^:/@\s]*):[^@\s]*@)");
  static const std::regex keyword_password(R"(password\s*=\s*('([^'\\]|\\.)*'|\S+))");
  return std::regex_replace(std::regex_replace(text, uri_password, "://$1:***@"), keyword_password,
                            "password=***");
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (auto& c : text) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return text;
}

bool unavailable_state(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

}  // namespace

bool is_postgres_target(std::string_view db) {
  static const std::regex keyword_form(R"(^\s*[A-Za-z_]+\s*=)");
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0 ||
         std::regex_search(std::string(db), keyword_form);
}

namespace {
// In a URI, the user and password end at the last '@' of the authority; one with a '/' or another '@' of
// its own would be read as host, port or database name, and shown.
void require_encoded_userinfo(const std::string& conninfo) {
  const auto scheme = conninfo.find("://");
  if (scheme == std::string::npos) return;
  const auto query = conninfo.find('?', scheme);
  const auto at = conninfo.rfind('@', query);
  if (at == std::string::npos || at < scheme) return;
  const auto userinfo = std::string_view(conninfo).substr(scheme + 3, at - scheme - 3);
  if (userinfo.find_first_of("/@") != std::string_view::npos) {
    throw invalid_input("invalid_argument",
                        "--db: the user or password of the PostgreSQL URI contains an unencoded '/' or '@': "
                        "percent-encode them (%2F, %40), or give the password in PGPASSWORD or ~/.pgpass");
  }
}
}  // namespace

ConnectionTarget::ConnectionTarget(std::string conninfo) : conninfo_(std::move(conninfo)) {
  require_encoded_userinfo(conninfo_);
  char* complaint = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo_.c_str(), &complaint);
  if (options == nullptr) {
    std::string why = complaint != nullptr ? trimmed(complaint) : "out of memory";
    PQfreemem(complaint);
    throw invalid_input("invalid_argument",
                        "--db " + scrub_unparsed(conninfo_) + " is not a PostgreSQL connection string (" +
                            scrub_unparsed(why) +
                            "): use postgresql://user:password@host:5432/dbname or host=... dbname=...");
  }
  std::string user, host, port, dbname;
  for (auto* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    const std::string keyword = option->keyword;
    if (keyword == "password") password_ = option->val;
    if (keyword == "user") user = option->val;
    if (keyword == "host" || (keyword == "hostaddr" && host.empty())) host = option->val;
    if (keyword == "port") port = option->val;
    if (keyword == "dbname") dbname = option->val;
  }
  PQconninfoFree(options);
  redacted_ = "postgresql://" + (user.empty() ? "" : user + "@") + (host.empty() ? "(default host)" : host) +
              (port.empty() ? "" : ":" + port) + "/" + dbname;
}

std::string ConnectionTarget::scrub(std::string text) const {
  if (password_.empty()) return text;
  for (auto at = text.find(password_); at != std::string::npos; at = text.find(password_, at + 3))
    text.replace(at, password_.size(), "***");
  return text;
}

Result::~Result() {
  if (result_ != nullptr) PQclear(result_);
}

int Result::rows() const {
  return PQntuples(result_);
}

std::int64_t Result::affected() const {
  const char* count = PQcmdTuples(result_);
  return count[0] == '\0' ? 0 : std::strtoll(count, nullptr, 10);
}

bool Result::is_null(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::optional<std::string> Result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::int64_t Result::integer(int row, int column) const {
  return std::strtoll(PQgetvalue(result_, row, column), nullptr, 10);
}

std::optional<std::int64_t> Result::optional_integer(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return integer(row, column);
}

std::optional<double> Result::optional_real(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return std::strtod(PQgetvalue(result_, row, column), nullptr);
}

std::optional<std::string> param(std::int64_t value) {
  return std::to_string(value);
}

// Shortest text that reads back as the same double.
std::optional<std::string> param(const std::optional<double>& value) {
  if (!value) return std::nullopt;
  std::array<char, 32> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), *value);
  return std::string(buffer.data(), end);
}

std::string text_array(const std::vector<std::string>& values) {
  std::string array = "{";
  for (const auto& value : values) {
    if (array.size() > 1) array += ',';
    array += '"';
    for (const char c : value) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += '"';
  }
  return array + "}";
}

Connection::Connection(const ConnectionTarget& target) : target_(target) {
  // Defaults first: what the connection string gives overrides them.
  // tcp_user_timeout: a statement whose packets go unanswered fails after 10 s instead of blocking a server
  // thread for as long as TCP keeps retransmitting.
  const std::array<const char*, 8> keywords{
      "connect_timeout",  "application_name", "keepalives_idle", "keepalives_interval",
      "keepalives_count", "tcp_user_timeout", "dbname",          nullptr};
  const std::array<const char*, 8> values{
      "5", "vapidash", "10", "5", "3", "10000", target.conninfo().c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (conn_ == nullptr)
    throw store_unavailable("cannot reach PostgreSQL at " + target_.redacted() + ": out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string why = target_.scrub(trimmed(PQerrorMessage(conn_)));
    PQfinish(conn_);
    conn_ = nullptr;
    throw store_unavailable("cannot connect to PostgreSQL at " + target_.redacted() + ": " + why);
  }
  // PostgreSQL's notices ("relation already exists, skipping") are not errors: libpq would print them.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  try {
    exec("SET synchronous_commit = on");
  } catch (...) {
    PQfinish(conn_);
    throw;
  }
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

std::string Connection::last_error() const {
  return target_.scrub(trimmed(PQerrorMessage(conn_)));
}

bool Connection::idle() const {
  return PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool Connection::broken() const {
  return PQstatus(conn_) != CONNECTION_OK;
}

void Connection::fail(const char* doing, pg_result* result) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  std::string why = target_.scrub(trimmed(result != nullptr && PQresultErrorMessage(result)[0] != '\0'
                                              ? PQresultErrorMessage(result)
                                              : PQerrorMessage(conn_)));
  if (result != nullptr) PQclear(result);
  const auto message = "PostgreSQL at " + target_.redacted() + ": " + doing + ": " + why;
  if (sqlstate == "40P01" || sqlstate == "40001") throw retry_transaction(message);
  if (broken() || unavailable_state(sqlstate)) throw store_unavailable(message);
  throw store_error(message);
}

Result Connection::checked(pg_result* result, const char* doing) {
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Result(result);
  fail(doing, result);
}

Result Connection::exec(const std::string& sql) {
  return checked(PQexec(conn_, sql.c_str()), "a statement failed");
}

namespace {
std::vector<const char*> values_of(const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& value : params) values.push_back(value ? value->c_str() : nullptr);
  return values;
}
}  // namespace

Result Connection::exec(const std::string& sql, const Params& params) {
  const auto values = values_of(params);
  return checked(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                              nullptr, nullptr, 0),
                 "a statement failed");
}

Result Connection::run(const std::string& sql, const Params& params) {
  auto known = std::find(prepared_.begin(), prepared_.end(), sql);
  const auto name = "s" + std::to_string(known - prepared_.begin());
  if (known == prepared_.end()) {
    checked(PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr),
            "preparing a statement failed");
    prepared_.push_back(sql);
  }
  const auto values = values_of(params);
  return checked(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), nullptr,
                                nullptr, 0),
                 "a statement failed");
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  // Per-call locks serialise merges only if each statement sees what committed before it: whatever the
  // database's default, this transaction reads committed data statement by statement.
  connection_.exec("BEGIN ISOLATION LEVEL READ COMMITTED");
}

Transaction::~Transaction() {
  if (!open_ || connection_.broken()) return;
  try {
    connection_.exec("ROLLBACK");
  } catch (const store_error&) {
    // The connection is unusable; its owner finds out at the next statement.
  }
}

void Transaction::commit() {
  open_ = false;
  try {
    connection_.exec("COMMIT");
  } catch (const store_unavailable& e) {
    throw commit_unknown(
        std::string(e.what()) +
        " (during COMMIT: the writes may or may not be stored; a retried webhook is deduplicated)");
  }
}

}  // namespace vapidash::pg
