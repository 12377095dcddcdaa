#include "support/store_engines.hpp"

#include "support/scratch_database.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/store/pg_store.hpp"
#include "vapidash/store/sqlite_db.hpp"
#include "vapidash/store/sqlite_store.hpp"

namespace vapidash::test {

namespace {

class SqliteDatabase final : public TestDatabase {
 public:
  std::unique_ptr<Store> open(StoreObserver observer) override {
    return std::make_unique<SqliteStore>(SqliteOptions{path_, SyncMode::full}, std::move(observer));
  }
  void execute(const std::string& sql) override {
    sqlite::Database db(path_, false);
    db.exec(sql.c_str());
  }

 private:
  TempDir dir_;
  std::string path_ = dir_.file("vapidash.db");
};

class PostgresDatabase final : public TestDatabase {
 public:
  std::unique_ptr<Store> open(StoreObserver observer) override {
    return std::make_unique<PgStore>(PgOptions{database_.conninfo()}, std::move(observer));
  }
  void execute(const std::string& sql) override { database_.exec(sql); }

 private:
  ScratchDatabase database_;
};

}  // namespace

StoreEngine sqlite_engine() {
  return {"sqlite", [] { return std::make_unique<SqliteDatabase>(); }};
}

StoreEngine postgres_engine() {
  return {"postgres", [] { return std::make_unique<PostgresDatabase>(); }};
}

}  // namespace vapidash::test
