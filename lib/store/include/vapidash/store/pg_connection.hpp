#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vapidash/error.hpp"

struct pg_conn;
struct pg_result;

namespace vapidash::pg {

// A PostgreSQL connection string (URI or key=value), and what may be shown of it: never the password.
class ConnectionTarget {
 public:
  // Throws invalid_input (with the password left out) when libpq cannot parse `conninfo`.
  explicit ConnectionTarget(std::string conninfo);

  const std::string& conninfo() const noexcept { return conninfo_; }
  // "postgresql://user@host:port/dbname", each part as given (libpq's defaults fill in the rest).
  const std::string& redacted() const noexcept { return redacted_; }
  // `text` with every occurrence of the password replaced by "***".
  std::string scrub(std::string text) const;

 private:
  std::string conninfo_;
  std::string redacted_;
  std::string password_;
};

// True when `db` names a PostgreSQL database (a postgres:// or postgresql:// URI, or a key=value string such
// as "host=db dbname=vapidash"), not an SQLite file.
bool is_postgres_target(std::string_view db);

// A SQLSTATE that asks for the whole transaction to be run again (deadlock, serialization failure).
class retry_transaction : public store_error {
 public:
  using store_error::store_error;
};

// The connection broke while COMMIT was on its way: whether the transaction committed is unknown, so its
// writes must not be run again on another connection.
class commit_unknown : public store_error {
 public:
  using store_error::store_error;
};

// A result, cleared when it goes.
class Result {
 public:
  explicit Result(pg_result* result) : result_(result) {}
  ~Result();
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;

  int rows() const;
  std::int64_t affected() const;  // rows an INSERT, UPDATE or DELETE touched
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  std::optional<std::int64_t> optional_integer(int row, int column) const;
  std::optional<double> optional_real(int row, int column) const;

 private:
  pg_result* result_;
};

// Parameters in text form, NULL as nullopt.
using Params = std::vector<std::optional<std::string>>;
std::optional<std::string> param(std::int64_t value);
std::optional<std::string> param(const std::optional<double>& value);
// A text[] parameter: {"a","b"}, each element quoted.
std::string text_array(const std::vector<std::string>& values);

// One libpq connection. Every failure throws: store_unavailable when the server cannot be reached or the
// connection broke, retry_transaction for a deadlock or serialization failure, store_error otherwise; each
// message names the database (redacted) and never the password.
class Connection {
 public:
  explicit Connection(const ConnectionTarget& target);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result exec(const std::string& sql);
  Result exec(const std::string& sql, const Params& params);
  // A statement prepared on this connection the first time it runs, by its text.
  Result run(const std::string& sql, const Params& params);

  bool broken() const;
  // Outside any transaction: false after a transaction that could not be ended.
  bool idle() const;
  // libpq's last complaint on this connection, on one line, without the password.
  std::string last_error() const;
  pg_conn* handle() noexcept { return conn_; }
  const ConnectionTarget& target() const noexcept { return target_; }

  // Throws the error that libpq's last failure (or `result`'s) amounts to.
  [[noreturn]] void fail(const char* doing, pg_result* result);

 private:
  Result checked(pg_result* result, const char* doing);

  const ConnectionTarget& target_;
  pg_conn* conn_ = nullptr;
  std::vector<std::string> prepared_;
};

// BEGIN … COMMIT, rolled back when it goes uncommitted (an exception, a failed statement). A commit the
// connection broke under throws commit_unknown.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool open_ = true;
};

}  // namespace vapidash::pg
