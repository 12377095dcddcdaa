#include <gtest/gtest.h>

#include <stdexcept>

#include "support/temp_dir.hpp"
#include "vapidash/store/sqlite_db.hpp"

namespace vapidash::sqlite {
namespace {

class SqliteDbTest : public ::testing::Test {
 protected:
  SqliteDbTest() { db_.exec("CREATE TABLE notes (text TEXT NOT NULL)"); }

  void insert(const std::string& text) { db_.prepare("INSERT INTO notes VALUES (?1)").bind(1, text).run(); }
  std::int64_t count() {
    auto stmt = db_.prepare("SELECT count(*) FROM notes");
    stmt.step();
    return stmt.integer(0);
  }

  test::TempDir dir_;
  Database db_{dir_.file("test.db"), false};
};

TEST_F(SqliteDbTest, ACommittedTransactionKeepsItsWrites) {
  {
    Transaction transaction(db_);
    insert("kept");
    transaction.commit();
  }
  EXPECT_EQ(count(), 1);
}

TEST_F(SqliteDbTest, ATransactionLeftWithoutCommitRollsBack) {
  try {
    Transaction transaction(db_);
    insert("lost");
    throw std::runtime_error("a write failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(count(), 0);
  Transaction next(db_);  // no transaction is left open: a second BEGIN would fail
  next.commit();
}

TEST_F(SqliteDbTest, ASavepointLeftWithoutReleaseUndoesOnlyItsOwnWrites) {
  {
    Transaction transaction(db_);
    insert("before");
    {
      Savepoint savepoint(transaction);
      insert("refused");
    }
    {
      Savepoint savepoint(transaction);
      insert("accepted");
      savepoint.release();
    }
    transaction.commit();
  }
  auto stmt = db_.prepare("SELECT group_concat(text, ',') FROM notes");
  stmt.step();
  EXPECT_EQ(stmt.text(0), "before,accepted");
}

TEST_F(SqliteDbTest, CachedStatementsArePreparedOncePerText) {
  EXPECT_EQ(&db_.cached("SELECT 1"), &db_.cached("SELECT 1"));
  EXPECT_NE(&db_.cached("SELECT 1"), &db_.cached("SELECT 2"));
}

}  // namespace
}  // namespace vapidash::sqlite
