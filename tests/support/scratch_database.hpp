#pragma once

#include <string>

namespace vapidash::test {

// A PostgreSQL database of its own, created on the server the environment names (PGHOST, PGPORT, PGUSER,
// PGPASSWORD: pg_virtualenv sets them) and dropped, with whatever still uses it, when it goes.
class ScratchDatabase {
 public:
  ScratchDatabase();
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& name() const noexcept { return name_; }
  // What `--db` takes: the database by name, everything else from the environment.
  std::string conninfo() const { return "dbname=" + name_; }
  // Runs `sql` on the scratch database.
  void exec(const std::string& sql) const;

 private:
  std::string name_;
};

// Runs `sql` on the environment's administrative database ("postgres").
void admin_exec(const std::string& sql);

}  // namespace vapidash::test
