#pragma once

#include <functional>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "vapidash/store/store.hpp"

namespace vapidash::test {

// A fresh, empty database of one engine, for one test; opened as often as the test needs (a reopened store
// finds what the last one committed). Removed when it goes.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  virtual std::unique_ptr<Store> open(StoreObserver observer = {}) = 0;
  // Runs `sql` on the database behind the store's back, to set up what the API cannot (ties, old rows).
  virtual void execute(const std::string& sql) = 0;
};

// An engine the store conformance suites run against.
struct StoreEngine {
  std::string name;
  std::function<std::unique_ptr<TestDatabase>()> create;
};

// SQLite in a temporary directory, --sync full.
StoreEngine sqlite_engine();

// PostgreSQL: a database of its own on the server the environment names (PGHOST, PGPORT, PGUSER and
// PGPASSWORD, as pg_virtualenv sets them), dropped when it goes.
StoreEngine postgres_engine();

inline std::string engine_name(const ::testing::TestParamInfo<StoreEngine>& info) {
  return info.param.name;
}

}  // namespace vapidash::test
