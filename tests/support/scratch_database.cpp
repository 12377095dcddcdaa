#include "support/scratch_database.hpp"

#include <unistd.h>

#include <atomic>

#include "vapidash/store/pg_connection.hpp"

namespace vapidash::test {

namespace {

void exec_on(const std::string& conninfo, const std::string& sql) {
  const pg::ConnectionTarget target(conninfo);
  pg::Connection connection(target);
  connection.exec(sql);
}

std::string unique_name() {
  static std::atomic<int> counter{0};
  return "vapidash_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

}  // namespace

void admin_exec(const std::string& sql) {
  exec_on("dbname=postgres", sql);
}

ScratchDatabase::ScratchDatabase() : name_(unique_name()) {
  admin_exec("CREATE DATABASE " + name_);
}

ScratchDatabase::~ScratchDatabase() {
  try {
    admin_exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The server is gone (a test stopped it); the whole cluster is thrown away after the suite.
  }
}

void ScratchDatabase::exec(const std::string& sql) const {
  exec_on(conninfo(), sql);
}

}  // namespace vapidash::test
