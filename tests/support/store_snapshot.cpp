#include "support/store_snapshot.hpp"

#include <algorithm>
#include <vector>

#include "vapidash/store/sqlite_db.hpp"

namespace vapidash::test {

namespace {

std::string quoted_identifier(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<std::string> column_names(sqlite::Database& db, const std::string& table) {
  auto stmt = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  stmt.bind(1, table);
  std::vector<std::string> columns;
  while (stmt.step()) columns.push_back(stmt.text(0));
  return columns;
}

}  // namespace

std::string store_snapshot(const std::string& path) {
  sqlite::Database db(path, true);
  std::vector<std::string> tables;
  {
    auto stmt = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (stmt.step()) tables.push_back(stmt.text(0));
  }
  std::string out;
  for (const auto& table : tables) {
    std::string row_sql;
    for (const auto& column : column_names(db, table)) {
      row_sql +=
          (row_sql.empty() ? "" : " || '|' || ") + std::string("quote(") + quoted_identifier(column) + ")";
    }
    if (row_sql.empty()) continue;
    auto stmt = db.prepare("SELECT " + row_sql + " FROM " + quoted_identifier(table));
    std::vector<std::string> rows;
    while (stmt.step()) rows.push_back(stmt.text(0));
    // Row order is not part of what a snapshot compares.
    std::sort(rows.begin(), rows.end());
    out += "[" + table + "]\n";
    for (const auto& row : rows) out += row + "\n";
  }
  return out;
}

}  // namespace vapidash::test
