#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/store/maintenance.hpp"
#include "vapidash/store/pg_connection.hpp"

namespace vapidash::cli {

namespace {

struct DbArgs {
  std::string db = default_database_path;
  std::string backup_file;
  std::string older_than;
  std::string client;
  bool dry_run = false;
};

std::string bytes_text(std::int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  auto value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1000 && unit + 1 < std::size(units)) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

// "1 call", "2 calls".
std::string counted(std::int64_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

json group_json(const std::vector<StoreStats::Group>& groups, const char* name_key, bool with_calls) {
  json out = json::array();
  for (const auto& group : groups) {
    json entry{{name_key, group.name}};
    if (with_calls) entry["calls"] = group.calls;
    entry["events"] = group.events;
    entry["payload_bytes"] = group.payload_bytes;
    out.push_back(std::move(entry));
  }
  return out;
}

json stats_json(const std::string& path, const StoreStats& stats) {
  return json{{"database", path},
              {"schema_version", stats.schema_version},
              {"calls", stats.calls},
              {"events", stats.events},
              {"transcript_lines", stats.transcript_lines},
              {"delivery_keys", stats.delivery_keys},
              {"payload_bytes", stats.payload_bytes},
              {"oldest_call", stats.oldest_call ? json(*stats.oldest_call) : json(nullptr)},
              {"oldest_ended", stats.oldest_ended ? json(*stats.oldest_ended) : json(nullptr)},
              {"file_bytes", stats.file_bytes},
              {"wal_bytes", stats.wal_bytes},
              {"free_bytes", stats.free_bytes},
              {"by_tenant", group_json(stats.by_tenant, "client_id", true)},
              {"by_message_type", group_json(stats.by_message_type, "message_type", false)}};
}

void print_stats(const Output& out, const std::string& path, const StoreStats& stats) {
  out.line(out.bold("database") + "  " + path + " (schema " + std::to_string(stats.schema_version) + ")");
  out.line(out.bold("on disk") + "   " + bytes_text(stats.file_bytes) + ", WAL " +
           bytes_text(stats.wal_bytes) + ", " + bytes_text(stats.free_bytes) +
           " free pages (reused by new writes; `db vacuum` returns them)");
  out.line(out.bold("calls") + "     " + counted(stats.calls, "call") + ", oldest created " +
           terminal_time(stats.oldest_call, TimeShown::date_time) + ", oldest ended " +
           terminal_time(stats.oldest_ended, TimeShown::date_time));
  out.line(out.bold("timeline") + "  " + counted(stats.events, "event") + " (" +
           bytes_text(stats.payload_bytes) + " of payloads), " +
           counted(stats.transcript_lines, "transcript line") + ", " +
           counted(stats.delivery_keys, "delivery key"));
  std::vector<std::vector<std::string>> tenants;
  for (const auto& group : stats.by_tenant) {
    tenants.push_back({group.name, std::to_string(group.calls), std::to_string(group.events),
                       bytes_text(group.payload_bytes)});
  }
  out.line("");
  out.table({"TENANT", "CALLS", "EVENTS", "PAYLOADS"}, tenants);
  std::vector<std::vector<std::string>> types;
  for (const auto& group : stats.by_message_type) {
    types.push_back({group.name, std::to_string(group.events), bytes_text(group.payload_bytes)});
  }
  out.line("");
  out.table({"MESSAGE TYPE", "EVENTS", "PAYLOADS"}, types);
}

int stats(const ClientOptions& options, const DbArgs& args) {
  const auto figures = read_store_stats(args.db);
  if (options.json) {
    Output(options).json_document(stats_json(args.db, figures));
  } else {
    print_stats(Output(options), args.db, figures);
  }
  return exit_ok;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int backup(const ClientOptions& options, const DbArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  backup_store(args.db, args.backup_file);
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(args.backup_file));
  const auto took = seconds_since(started);
  const Output out(options);
  if (options.json) {
    out.json_document(json{{"ok", true},
                           {"database", args.db},
                           {"backup", args.backup_file},
                           {"bytes", bytes},
                           {"seconds", took}});
  } else {
    char line[512];
    std::snprintf(line, sizeof line, "backed up %s to %s (%s, %.2f s): a consistent copy as of its start",
                  args.db.c_str(), args.backup_file.c_str(), bytes_text(bytes).c_str(), took);
    out.line(line);
  }
  return exit_ok;
}

int vacuum(const ClientOptions& options, const DbArgs& args) {
  const Output out(options);
  const auto before = read_store_stats(args.db);
  const auto warn_of_cost = [&] {
    out.warning(
        "vacuum rewrites " + args.db + " (" + bytes_text(before.file_bytes) + ", " +
        bytes_text(before.free_bytes) +
        " of it free pages) into a new file: it needs that much free disk and blocks every write until "
        "it is done. Pruning already reuses freed pages; vacuum only gives them back to the file system.");
  };
  const auto started = std::chrono::steady_clock::now();
  try {
    vacuum_store(args.db, warn_of_cost);
  } catch (const store_locked&) {
    throw store_error("a server is running on " + args.db +
                      ": stop it first. VACUUM blocks every write while it runs, so the server's webhooks "
                      "would fail; `vapidash db prune` and `serve --retain` work while it runs");
  }
  const auto after = read_store_stats(args.db);
  if (options.json) {
    out.json_document(json{{"ok", true},
                           {"database", args.db},
                           {"bytes_before", before.file_bytes + before.wal_bytes},
                           {"bytes_after", after.file_bytes + after.wal_bytes},
                           {"seconds", seconds_since(started)}});
  } else {
    out.line("vacuumed " + args.db + ": " + bytes_text(before.file_bytes + before.wal_bytes) + " -> " +
             bytes_text(after.file_bytes + after.wal_bytes));
  }
  return exit_ok;
}

std::string counts_text(const PruneCounts& counts) {
  return counted(counts.calls, "call") + " (" + counted(counts.events, "event") + ", " +
         counted(counts.transcript_lines, "transcript line") + ", " +
         counted(counts.delivery_keys, "delivery key") + ")";
}

int prune(const ClientOptions& options, const DbArgs& args) {
  const auto keep = std::chrono::duration_cast<std::chrono::microseconds>(parse_duration(args.older_than));
  PruneRequest request{format_timestamp(now_utc() - keep)};
  if (!args.client.empty()) request.client_id = args.client;
  const Output out(options);
  auto last_shown = std::chrono::steady_clock::now();
  const auto run = prune_store(args.db, request, args.dry_run, [&](const PruneCounts& so_far) {
    if (!out.terminal() || options.json ||
        std::chrono::steady_clock::now() - last_shown < std::chrono::milliseconds(250))
      return;
    last_shown = std::chrono::steady_clock::now();
    std::fprintf(stderr, "\r  removed %s so far", counts_text(so_far).c_str());
  });
  if (out.terminal() && !options.json && !args.dry_run) std::fprintf(stderr, "\r\033[K");
  if (run.server_running && !args.dry_run) {
    out.warning("a server is running on " + args.db +
                ": pruned alongside it, one small transaction at a time");
  }
  if (options.json) {
    out.json_document(json{{"dry_run", args.dry_run},
                           {"ended_before", request.ended_before},
                           {"client_id", request.client_id ? json(*request.client_id) : json(nullptr)},
                           {"calls", run.removed.calls},
                           {"events", run.removed.events},
                           {"transcript_lines", run.removed.transcript_lines},
                           {"delivery_keys", run.removed.delivery_keys}});
  } else {
    out.line(std::string(args.dry_run ? "would remove " : "removed ") + counts_text(run.removed) +
             " that ended before " + terminal_time(request.ended_before, TimeShown::date_time) + " UTC" +
             (request.client_id ? " of tenant " + *request.client_id : ""));
  }
  return exit_ok;
}

// These commands work on the SQLite file; PostgreSQL has its own tools for each.
void refuse_postgres(const std::string& db) {
  if (!pg::is_postgres_target(db)) return;
  throw invalid_input(
      "invalid_argument",
      "vapidash db works on the SQLite file of one server; for a PostgreSQL database use its own "
      "tools (pg_dump to back up, psql for sizes, autovacuum), and `vapidash serve --retain` "
      "for retention");
}

CLI::App* with_db_option(CLI::App* cmd, DbArgs& args) {
  cmd->add_option("--db", args.db, "The SQLite file `vapidash serve --db` uses")
      ->envname("VAPIDASH_DB")
      ->capture_default_str();
  return cmd;
}

void on_run(CLI::App* cmd, const ClientOptions& options, std::shared_ptr<DbArgs> args,
            SelectedCommand& selected, int (*body)(const ClientOptions&, const DbArgs&)) {
  cmd->callback([&options, args, &selected, body] {
    selected = [&options, args, body] {
      return run_client_command_with_code(options, [&] {
        refuse_postgres(args->db);
        return body(options, *args);
      });
    };
  });
}

}  // namespace

void register_db(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<DbArgs>();
  auto* cmd = app.add_subcommand("db", "Operate the SQLite database: sizes, backups, retention, vacuum");
  cmd->require_subcommand(1);
  auto* stats_cmd = with_db_option(
      cmd->add_subcommand("stats", "Calls, events and bytes by tenant and message type; file and WAL size"),
      *args);
  auto* backup_cmd = with_db_option(
      cmd->add_subcommand("backup", "Copy the database while the server runs (SQLite's online backup)"),
      *args);
  backup_cmd->add_option("file", args->backup_file, "Where to write the copy; must not exist")->required();
  auto* prune_cmd = with_db_option(
      cmd->add_subcommand("prune", "Delete calls that ended more than a period ago, with their timelines"),
      *args);
  prune_cmd->add_option("--older-than", args->older_than, "Calls that ended longer ago than this: 90d, 12h")
      ->required();
  prune_cmd->add_option("--client", args->client, "Only this tenant's calls");
  prune_cmd->add_flag("--dry-run", args->dry_run, "Count what would be removed; change nothing");
  auto* vacuum_cmd = with_db_option(
      cmd->add_subcommand("vacuum", "Give free pages back to the file system (stop the server first)"),
      *args);
  cmd->footer(
      "Each works on the file a running server uses: stats, backup and prune alongside it (prune in small\n"
      "transactions); vacuum refuses while a server runs, since it blocks every write.\n"
      "Exit codes: 0 done; 1 refused (no such database, a server holds it for vacuum, a failed write);\n"
      "2 a usage error.\n"
      "Examples:\n"
      "  vapidash db stats --db /var/lib/vapidash/calls.db\n"
      "  vapidash db backup /backups/calls-$(date +%F).db\n"
      "  vapidash db prune --older-than 90d --dry-run\n"
      "  vapidash db prune --older-than 30d --client acme --json");
  on_run(stats_cmd, options, args, selected, stats);
  on_run(backup_cmd, options, args, selected, backup);
  on_run(prune_cmd, options, args, selected, prune);
  on_run(vacuum_cmd, options, args, selected, vacuum);
}

}  // namespace vapidash::cli
