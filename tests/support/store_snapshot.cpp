#include "support/store_snapshot.hpp"

#include <algorithm>
#include <stdexcept>

#include "vapidash/store/sqlite_db.hpp"

namespace vapidash::test {

namespace {

std::string quoted_identifier(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<std::string> table_names(sqlite::Database& db) {
  auto stmt = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  std::vector<std::string> tables;
  while (stmt.step()) tables.push_back(stmt.text(0));
  return tables;
}

std::vector<std::string> column_names(sqlite::Database& db, const std::string& table) {
  auto stmt = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  stmt.bind(1, table);
  std::vector<std::string> columns;
  while (stmt.step()) columns.push_back(stmt.text(0));
  return columns;
}

void require_store_tables(const std::string& path, const std::vector<std::string>& found) {
  for (const auto& table : store_tables()) {
    if (std::find(found.begin(), found.end(), table) == found.end()) {
      throw std::logic_error(path + " has no table " + table + ": not a vapidash store");
    }
  }
}

// The table's rows, each as its columns' SQL literals joined by '|', sorted: row order is not stored data.
std::vector<std::string> table_rows(sqlite::Database& db, const std::string& table) {
  std::string row_sql;
  for (const auto& column : column_names(db, table)) {
    row_sql +=
        (row_sql.empty() ? "" : " || '|' || ") + std::string("quote(") + quoted_identifier(column) + ")";
  }
  auto stmt = db.prepare("SELECT " + row_sql + " FROM " + quoted_identifier(table));
  std::vector<std::string> rows;
  while (stmt.step()) rows.push_back(stmt.text(0));
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

const std::vector<std::string>& store_tables() {
  static const std::vector<std::string> tables{"calls", "delivery_keys", "timeline_events", "timelines",
                                               "transcript_lines"};
  return tables;
}

std::string store_snapshot(const std::string& path) {
  sqlite::Database db(path, true);
  const auto tables = table_names(db);
  require_store_tables(path, tables);
  std::string out;
  for (const auto& table : tables) {
    out += "[" + table + "]\n";
    for (const auto& row : table_rows(db, table)) out += row + "\n";
  }
  return out;
}

}  // namespace vapidash::test
