#include "vapidash/store/maintenance.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "vapidash/error.hpp"
#include "vapidash/store/call_pruner.hpp"
#include "vapidash/store/database_lock.hpp"
#include "vapidash/store/schema.hpp"
#include "vapidash/store/sqlite_db.hpp"

namespace vapidash {

namespace {

namespace fs = std::filesystem;

std::int64_t size_or_zero(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(size);
}

std::int64_t single_integer(sqlite::Database& db, const char* sql) {
  auto stmt = db.prepare(sql);
  stmt.step();
  return stmt.integer(0);
}

std::optional<std::string> single_text(sqlite::Database& db, const char* sql) {
  auto stmt = db.prepare(sql);
  stmt.step();
  return stmt.optional_text(0);
}

int schema_version(sqlite::Database& db) {
  return static_cast<int>(single_integer(db, "PRAGMA user_version"));
}

void require_exists(const std::string& path) {
  if (fs::exists(path)) return;
  throw store_error("there is no database at " + path +
                    ": pass --db with the file `vapidash serve` uses (default ./vapidash.db)");
}

// A file that must already be a vapidash database this build can read.
std::unique_ptr<sqlite::Database> open_existing(const std::string& path, bool read_only) {
  require_exists(path);
  auto db = std::make_unique<sqlite::Database>(path, read_only);
  const int version = schema_version(*db);
  if (version == 0) throw store_error(path + " is not a vapidash database (it has no vapidash schema)");
  if (version > sqlite::latest_schema_version()) {
    throw store_error(path + " was written by a newer vapidash (schema " + std::to_string(version) +
                      "): use that version");
  }
  if (version < sqlite::latest_schema_version()) {
    throw store_error(path + " has schema version " + std::to_string(version) + "; this vapidash reads " +
                      std::to_string(sqlite::latest_schema_version()) + ": start `vapidash serve --db " +
                      path + "` once to upgrade it");
  }
  return db;
}

std::vector<StoreStats::Group> groups(sqlite::Database& db, const char* sql) {
  auto stmt = db.prepare(sql);
  std::vector<StoreStats::Group> out;
  while (stmt.step()) out.push_back({stmt.text(0), stmt.integer(1), stmt.integer(2), stmt.integer(3)});
  return out;
}

void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw store_error("cannot sync the backup " + path);
  }
  ::close(fd);
}

}  // namespace

StoreStats read_store_stats(const std::string& path) {
  auto db = open_existing(path, true);
  db->exec("BEGIN");
  StoreStats stats;
  stats.schema_version = schema_version(*db);
  stats.calls = single_integer(*db, "SELECT count(*) FROM calls");
  stats.events = single_integer(*db, "SELECT count(*) FROM timeline_events");
  stats.transcript_lines = single_integer(*db, "SELECT count(*) FROM transcript_lines");
  stats.delivery_keys = single_integer(*db, "SELECT count(*) FROM delivery_keys");
  stats.payload_bytes =
      single_integer(*db, "SELECT coalesce(sum(length(CAST(payload AS BLOB))), 0) FROM timeline_events");
  stats.oldest_call = single_text(*db, "SELECT min(created_at) FROM calls");
  stats.oldest_ended = single_text(*db, ("SELECT min(" + std::string(call_end) + ") FROM calls c").c_str());
  stats.free_bytes = single_integer(*db,
                                    "SELECT freelist_count * page_size FROM pragma_freelist_count, "
                                    "pragma_page_size");
  stats.by_tenant =
      groups(*db,
             "SELECT client_id, sum(calls), sum(events), sum(bytes) FROM ("
             " SELECT client_id, count(*) AS calls, 0 AS events, 0 AS bytes FROM calls"
             " GROUP BY client_id"
             " UNION ALL SELECT t.client_id, 0, count(*), sum(length(CAST(e.payload AS BLOB)))"
             " FROM timeline_events e JOIN timelines t ON t.id = e.timeline_id GROUP BY t.client_id)"
             " GROUP BY client_id ORDER BY sum(bytes) DESC, client_id");
  stats.by_message_type =
      groups(*db,
             "SELECT coalesce(message_type, '(debug)'), 0, count(*), sum(length(CAST(payload AS BLOB)))"
             " FROM timeline_events GROUP BY 1 ORDER BY 4 DESC, 1");
  db->exec("COMMIT");
  stats.file_bytes = size_or_zero(path);
  stats.wal_bytes = size_or_zero(path + "-wal");
  return stats;
}

void backup_store(const std::string& path, const std::string& destination) {
  if (fs::exists(destination)) {
    throw store_error("the backup file " + destination + " exists: choose a new name or remove it first");
  }
  auto source = open_existing(path, true);
  const auto partial = destination + ".partial";
  fs::remove(partial);
  {
    sqlite::Database target(partial, false);
    sqlite3_backup* backup = sqlite3_backup_init(target.handle(), "main", source->handle(), "main");
    if (backup == nullptr) sqlite::check(target.handle(), SQLITE_ERROR, "cannot start the backup");
    // One step: a single read transaction, so the copy is one consistent snapshot however long it takes.
    const int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      fs::remove(partial);
      sqlite::check(target.handle(), rc, "the backup failed");
    }
  }
  sync_file(partial);
  fs::rename(partial, destination);
  sync_file(fs::path(destination).parent_path().empty() ? "." : fs::path(destination).parent_path().string());
}

void vacuum_store(const std::string& path, const std::function<void()>& starting) {
  require_exists(path);
  sqlite::DatabaseLock lock(path);
  auto db = open_existing(path, false);
  if (starting) starting();
  db->exec("VACUUM");
}

PruneRun prune_store(const std::string& path, const PruneRequest& request, bool dry_run,
                     const std::function<void(const PruneCounts&)>& progress) {
  require_exists(path);  // before the lock, which would create the file
  PruneRun run;
  std::unique_ptr<sqlite::DatabaseLock> lock;
  try {
    lock = std::make_unique<sqlite::DatabaseLock>(path);
  } catch (const store_locked&) {
    run.server_running = true;
  }
  auto db = open_existing(path, dry_run);
  sqlite::SqlitePruneRows rows(*db);
  CallPruner pruner(rows);
  if (dry_run) {
    run.removed = rows.count(request);
    return run;
  }
  while (!run.removed.finished) {
    sqlite::Transaction transaction(*db);
    const auto step = pruner.step(request);
    transaction.commit();
    run.removed += step;
    if (progress) progress(run.removed);
  }
  return run;
}

}  // namespace vapidash
