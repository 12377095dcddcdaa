#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vapidash/store/store.hpp"

namespace vapidash {

// What `vapidash db stats` shows about a database file.
struct StoreStats {
  struct Group {
    std::string name;  // a tenant, or a message type ("(debug)" for debug entries)
    std::int64_t calls = 0;
    std::int64_t events = 0;
    std::int64_t payload_bytes = 0;
  };
  int schema_version = 0;
  std::int64_t calls = 0;
  std::int64_t events = 0;
  std::int64_t transcript_lines = 0;
  std::int64_t delivery_keys = 0;
  std::int64_t payload_bytes = 0;
  std::optional<std::string> oldest_call;   // the earliest created_at
  std::optional<std::string> oldest_ended;  // the earliest ended_at: what retention removes first
  std::int64_t file_bytes = 0;
  std::int64_t wal_bytes = 0;
  std::int64_t free_bytes = 0;  // pages freed by deletes, reused by later writes; VACUUM returns them
  std::vector<Group> by_tenant;
  std::vector<Group> by_message_type;
};

// Maintenance of the SQLite file a server uses, each safe while that server runs (or refused, saying why).
// A file that does not exist throws store_error; one that is not a vapidash database, store_error.

// Reads the figures on a read-only connection, in one read transaction: they agree with each other.
StoreStats read_store_stats(const std::string& path);

// SQLite's online backup API into `destination` (which must not exist), written to a temporary file that is
// synced and renamed, so a backup is either complete or absent. Consistent as of its start.
void backup_store(const std::string& path, const std::string& destination);

// VACUUM: rewrites the file without its free pages. Blocks every write while it runs, so it takes the
// store's lock: throws store_locked while a server uses the file. `starting` runs once the lock is held.
void vacuum_store(const std::string& path, const std::function<void()>& starting);

// Whether the file's server is running; retention then runs alongside it in small transactions.
struct PruneRun {
  PruneCounts removed;
  bool server_running = false;
};

// Removes what `request` expires, one transaction per step. With `dry_run`, counts it and changes nothing.
// `progress` (may be empty) hears the running total after each step.
PruneRun prune_store(const std::string& path, const PruneRequest& request, bool dry_run,
                     const std::function<void(const PruneCounts&)>& progress);

}  // namespace vapidash
