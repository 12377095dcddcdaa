#include "vapidash/store/pg_connection.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vapidash::test {
namespace {

TEST(PostgresTarget, PostgresUrisAndKeywordStringsArePostgresPathsAreSqlite) {
  EXPECT_TRUE(pg::is_postgres_target("postgresql://u:p@db:5432/calls"));
  EXPECT_TRUE(pg::is_postgres_target("postgres://db/calls"));
  EXPECT_TRUE(pg::is_postgres_target("host=db dbname=calls"));
  EXPECT_TRUE(pg::is_postgres_target("dbname=calls"));
  EXPECT_FALSE(pg::is_postgres_target("vapidash.db"));
  EXPECT_FALSE(pg::is_postgres_target("/var/lib/vapidash/calls.db"));
  EXPECT_FALSE(pg::is_postgres_target("./a=b.db"));
}

TEST(PostgresTarget, WhatIsShownNeverHasThePassword) {
  const pg::ConnectionTarget uri("postgresql://vapidash:s3cret@db.internal:6432/calls");
  EXPECT_EQ(uri.redacted(), "postgresql://vapidash@db.internal:6432/calls");
  EXPECT_EQ(uri.scrub("auth failed for s3cret and s3cret"), "auth failed for *** and ***");

  const pg::ConnectionTarget keywords("host=db user=ops password='pa ss' dbname=calls");
  EXPECT_EQ(keywords.redacted(), "postgresql://ops@db/calls");
  EXPECT_EQ(keywords.scrub("pa ss"), "***");
}

TEST(PostgresTarget, APasswordWithAnUnencodedSlashOrAtIsRefusedWithoutBeingShown) {
  for (const auto* uri : {"postgresql://u:zq/9x@db/calls", "postgresql://u:z@q9x@db/calls"}) {
    try {
      const pg::ConnectionTarget bad(uri);
      ADD_FAILURE() << "parsed, and would show " << bad.redacted();
    } catch (const invalid_input& e) {
      const std::string message = e.what();
      EXPECT_EQ(message.find("9x"), std::string::npos) << message;
      EXPECT_NE(message.find("percent-encode"), std::string::npos) << message;
    }
  }
  EXPECT_EQ(pg::ConnectionTarget("postgresql://u:pa%2Fss@db/calls").redacted(), "postgresql://u@db/calls");
}

TEST(PostgresTarget, AStringLibpqCannotParseIsRefusedWithoutItsPassword) {
  try {
    const pg::ConnectionTarget bad("postgresql://u:hunter2@db/calls?nonsense=1");
    ADD_FAILURE() << "parsed";
  } catch (const invalid_input& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_NE(message.find("nonsense"), std::string::npos) << message;
  }
  try {
    const pg::ConnectionTarget bad("host=db password=hunter2 nonsense");
    ADD_FAILURE() << "parsed";
  } catch (const invalid_input& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace vapidash::test
