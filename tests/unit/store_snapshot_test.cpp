#include "support/store_snapshot.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "vapidash/store/schema.hpp"
#include "vapidash/store/sqlite_db.hpp"

namespace vapidash::test {
namespace {

struct Column {
  std::string name;
  std::string type;
};

std::vector<std::string> tables_of(sqlite::Database& db) {
  auto stmt = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  std::vector<std::string> tables;
  while (stmt.step()) tables.push_back(stmt.text(0));
  return tables;
}

std::vector<Column> columns_of(sqlite::Database& db, const std::string& table) {
  auto stmt = db.prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid");
  stmt.bind(1, table);
  std::vector<Column> columns;
  while (stmt.step()) columns.push_back(Column{stmt.text(0), stmt.text(1)});
  return columns;
}

// A value of the column's declared type, different in every column.
std::string value_for(const Column& column) {
  if (column.type == "INTEGER") return "1";
  if (column.type == "REAL") return "1.5";
  return "'" + column.name + "'";
}

// A store at the latest schema with one row in every table, every column holding a value.
void write_a_row_in_every_table(const std::string& path) {
  sqlite::Database db(path, false);
  sqlite::migrate(db);
  for (const auto& table : tables_of(db)) {
    std::string names;
    std::string values;
    for (const auto& column : columns_of(db, table)) {
      names += (names.empty() ? "" : ", ") + column.name;
      values += (values.empty() ? "" : ", ") + value_for(column);
    }
    db.exec(("INSERT INTO " + table + " (" + names + ") VALUES (" + values + ")").c_str());
  }
}

// A copy of the store at `from`, changed by `sql`.
std::string changed_copy(const std::string& from, const std::string& to, const std::string& sql) {
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
  sqlite::Database db(to, false);
  db.exec(sql.c_str());
  return to;
}

class StoreSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override { write_a_row_in_every_table(store_); }

  std::vector<std::string> tables() {
    sqlite::Database db(store_, true);
    return tables_of(db);
  }
  std::vector<Column> columns(const std::string& table) {
    sqlite::Database db(store_, true);
    return columns_of(db, table);
  }

  TempDir dir_;
  std::string store_ = dir_.file("store.db");
  std::string copy_ = dir_.file("copy.db");
};

TEST_F(StoreSnapshotTest, SeesAChangeInEveryColumnOfEveryTable) {
  const auto before = store_snapshot(store_);
  for (const auto& table : tables()) {
    const auto table_columns = columns(table);
    EXPECT_FALSE(table_columns.empty()) << table;
    for (const auto& column : table_columns) {
      const auto change = "UPDATE " + table + " SET " + column.name + " = CASE typeof(" + column.name +
                          ") WHEN 'text' THEN " + column.name + " || '~' ELSE " + column.name + " + 1 END";
      EXPECT_NE(store_snapshot(changed_copy(store_, copy_, change)), before) << table << "." << column.name;
    }
  }
}

TEST_F(StoreSnapshotTest, SeesARowRemovedFromEveryTable) {
  const auto before = store_snapshot(store_);
  for (const auto& table : tables()) {
    EXPECT_NE(store_snapshot(changed_copy(store_, copy_, "DELETE FROM " + table)), before) << table;
  }
}

TEST_F(StoreSnapshotTest, CoversEveryTableOfTheStore) {
  const auto snapshot = store_snapshot(store_);
  for (const auto& table : tables())
    EXPECT_NE(snapshot.find("[" + table + "]\n"), std::string::npos) << table;
  for (const auto& table : store_tables())
    EXPECT_NE(snapshot.find("[" + table + "]\n"), std::string::npos) << table;
}

TEST_F(StoreSnapshotTest, RefusesAFileThatIsNotAStore) {
  const auto empty = dir_.file("empty.db");
  sqlite::Database(empty, false).exec("CREATE TABLE unrelated (x TEXT)");
  EXPECT_THROW(store_snapshot(empty), std::logic_error);
  for (const auto& table : store_tables()) {
    EXPECT_THROW(store_snapshot(changed_copy(store_, copy_, "DROP TABLE " + table)), std::logic_error)
        << table;
  }
}

}  // namespace
}  // namespace vapidash::test
