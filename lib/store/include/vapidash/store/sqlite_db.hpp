#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace vapidash::sqlite {

// A prepared statement; bind indexes are 1-based, column indexes 0-based. Reset before each use.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);

  Statement& reset();
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, const std::optional<std::string>& text);
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::optional<double>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }
  Statement& bind_null(int index);

  // Steps once: true while a row is available, false when done. Throws store_error on failure.
  bool step();
  void run() {
    while (step()) {
    }
  }

  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::int64_t integer(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;
  std::optional<double> optional_real(int column) const;

 private:
  struct finalizer {
    void operator()(sqlite3_stmt* stmt) const noexcept;
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, finalizer> stmt_;
};

// One SQLite connection, closed by its destructor. Used by one thread at a time.
class Database {
 public:
  Database(const std::string& path, bool read_only);

  void exec(const char* sql);
  Statement prepare(std::string_view sql);
  // A statement of fixed text prepared once per connection and kept, e.g. BEGIN or COMMIT: re-parsing them
  // per batch cost a third of the write throughput.
  Statement& cached(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;  // rows the last statement inserted, updated or deleted
  sqlite3* handle() const noexcept { return db_.get(); }

 private:
  struct closer {
    void operator()(sqlite3* db) const noexcept;
  };
  std::unique_ptr<sqlite3, closer> db_;
  std::map<std::string, Statement, std::less<>> cached_;  // destroyed before db_ closes
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded (SQLiteCpp's idiom).
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Throws store_error when COMMIT fails, or when a savepoint inside could not be rolled back: committing
  // then would keep half of a refused write.
  void commit();

 private:
  friend class Savepoint;
  Database& db_;
  bool open_ = true;
  bool savepoint_failed_ = false;
};

// A savepoint inside `transaction`: release() keeps its writes; destruction without release() undoes them.
class Savepoint {
 public:
  explicit Savepoint(Transaction& transaction);
  ~Savepoint();
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;

  void release();

 private:
  Transaction& transaction_;
  bool open_ = true;
};

// Throws store_error with SQLite's message when `rc` is an error code.
void check(sqlite3* db, int rc, std::string_view what);

}  // namespace vapidash::sqlite
