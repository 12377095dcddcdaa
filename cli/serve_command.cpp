#include "cli/commands.hpp"

#include <csignal>
#include <cstdio>
#include <memory>

#include <spdlog/spdlog.h>

#include "cli/logging.hpp"
#include "vapidash/error.hpp"
#include "vapidash/server/server.hpp"
#include "vapidash/store/pg_store.hpp"
#include "vapidash/store/sqlite_store.hpp"

namespace vapidash::cli {

namespace {

struct ServeOptions {
  std::string listen = default_listen_address();
  std::string db = default_database_path;
  SyncMode sync = SyncMode::full;
  unsigned threads = 0;
  std::string tenants_file;
  std::string webhook_secret;
  std::string cors_origins = "*";
  std::string log_level = "info";
  LogFormat log_format = LogFormat::text;
  PayloadForm payloads = PayloadForm::compact;
  std::string retain;
  std::string upstream_cacert;
  std::string control_timeout = "5s";
  std::size_t max_listeners_per_call = server::ServerOptions{}.max_listeners_per_call;
  std::size_t max_listeners = server::ServerOptions{}.max_listeners;
};

// Blocks SIGINT and SIGTERM in every thread (the server's threads inherit the mask) so that only
// wait_for_stop_signal() sees them.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int wait_for_stop_signal(const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

std::string auth_summary(const AccessConfig& access) {
  if (access.is_open()) return "none (every endpoint is open; see --tenants and --webhook-secret)";
  std::string summary = std::to_string(access.tenants.size()) + " tenant(s) from the tenants file";
  if (access.global_webhook_secret) summary += ", a webhook secret for every tenant";
  if (access.feed_needs_admin())
    summary += access.admin_token ? ", admin token set" : ", all-tenants feed closed (no admin_token)";
  return summary;
}

AccessConfig load_access(const ServeOptions& options) {
  AccessConfig access =
      options.tenants_file.empty() ? AccessConfig{} : load_tenants_file(options.tenants_file);
  if (!options.webhook_secret.empty()) access.global_webhook_secret = options.webhook_secret;
  return access;
}

// The store --db names: a PostgreSQL database that several servers share, or an SQLite file.
std::unique_ptr<Store> open_store(const ServeOptions& options, server::Metrics& metrics) {
  if (pg::is_postgres_target(options.db)) {
    return std::make_unique<PgStore>(PgOptions{options.db}, metrics.store_observer());
  }
  return std::make_unique<SqliteStore>(SqliteOptions{options.db, options.sync}, metrics.store_observer());
}

std::string describe_database(const ServeOptions& options, const Store& store) {
  if (const auto* shared = dynamic_cast<const PgStore*>(&store)) {
    return shared->target().redacted() +
           " (PostgreSQL, shared: synchronous commit, changes fanned out with LISTEN/NOTIFY)";
  }
  return options.db + " (SQLite, WAL; " +
         (options.sync == SyncMode::full ? "--sync full: fsynced before every acknowledgement"
                                         : "--sync normal: survives a crash, not a power loss") +
         ")";
}

void print_banner(const server::Server& server, const ServeOptions& options,
                  const server::ServerOptions& server_options, const AccessConfig& access,
                  const Store& store) {
  const auto url = server.local_endpoint().url();
  std::printf("vapidash serving %s (dashboard feed: ws%s/ws/dashboard)\n", url.c_str(), url.c_str() + 4);
  std::printf("  database: %s\n", describe_database(options, store).c_str());
  std::printf("  timeline: %s payloads; %s\n", std::string(payload_form_name(options.payloads)).c_str(),
              options.retain.empty() ? "calls kept forever (see --retain)"
                                     : ("calls removed " + options.retain + " after they end").c_str());
  std::printf("  auth: %s\n", auth_summary(access).c_str());
  std::printf("  cors: %s\n", server::describe(server_options.cors).c_str());
  std::printf("  stop with Ctrl-C or SIGTERM\n");
  std::fflush(stdout);
}

std::chrono::seconds retention_period(const std::string& text) {
  const auto period = std::chrono::duration_cast<std::chrono::seconds>(parse_duration(text));
  if (period < std::chrono::minutes(1)) {
    throw invalid_input("invalid_argument",
                        "--retain " + text + " would delete calls as soon as they end: use e.g. 30d");
  }
  return period;
}

int serve(const ServeOptions& options) {
  configure_logging(options.log_level, options.log_format);
  const auto signals = block_stop_signals();
  server::ServerOptions server_options;
  server_options.listen = parse_listen_address(options.listen);
  server_options.threads = options.threads;
  server_options.cors = server::parse_cors_origins(options.cors_origins);
  server_options.payloads = options.payloads;
  server_options.max_listeners_per_call = options.max_listeners_per_call;
  server_options.max_listeners = options.max_listeners;
  if (!options.retain.empty())
    server_options.retention = server::RetentionOptions{retention_period(options.retain)};
  server_options.upstream_tls.ca_file = options.upstream_cacert;
  server_options.control_timeout = parse_duration(options.control_timeout);
  const auto access = load_access(options);
  server::Metrics metrics;
  const auto store = open_store(options, metrics);
  server::Server server(server_options, *store, access, metrics);
  server.start();
  print_banner(server, options, server_options, access, *store);
  const int received = wait_for_stop_signal(signals);
  spdlog::info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop();
  spdlog::info("stopped; every acknowledged write is committed");
  return 0;
}

int run_serve(const ServeOptions& options) {
  try {
    return serve(options);
  } catch (const vapidash::invalid_input& e) {
    std::fprintf(stderr, "vapidash serve: %s\n", e.what());
    return exit_usage;
  } catch (const vapidash::store_locked&) {
    std::fprintf(
        stderr,
        "vapidash serve: another vapidash server holds the database %s, and one SQLite file serves one "
        "server: stop that server or use another --db. Several instances need PostgreSQL (scale-out).\n",
        options.db.c_str());
    return exit_refused;
  } catch (const vapidash::error& e) {
    std::fprintf(stderr, "vapidash serve: %s\n", e.what());
    return exit_refused;
  }
}

}  // namespace

void register_serve(CLI::App& app, SelectedCommand& selected) {
  auto options = std::make_shared<ServeOptions>();
  auto* cmd =
      app.add_subcommand("serve", "Run the dashboard server: VAPI webhooks, debug API, live WebSocket feed");
  cmd->footer(
      "Examples:\n"
      "  vapidash serve                                  # " +
      default_server_url() +
      ", ./vapidash.db\n"
      "  vapidash serve --listen 0.0.0.0:8080 --db /var/lib/vapidash/calls.db\n"
      "  vapidash serve --sync normal                    # faster; may lose the last writes on power loss\n"
      "  VAPIDASH_DB=postgresql://vapidash:secret@db:5432/vapidash vapidash serve --listen 0.0.0.0:8080\n"
      "                                                  # one of several servers sharing PostgreSQL\n"
      "\nOnce it runs: curl " +
      default_server_url() + "/healthz");
  cmd->add_option("--listen", options->listen, "Address to listen on, HOST:PORT (port 0 picks a free one)")
      ->envname("VAPIDASH_LISTEN")
      ->capture_default_str();
  cmd->add_option(
         "--db", options->db,
         "SQLite database file, created and upgraded as needed; or a PostgreSQL database that several "
         "servers share: postgresql://user:password@host:5432/dbname or host=... dbname=... "
         "(docs/scale-out.md)")
      ->envname("VAPIDASH_DB")
      ->capture_default_str();
  cmd->add_option(
         "--sync", options->sync,
         "SQLite only. full: every acknowledged write survives power loss; normal: survives a crash, not "
         "power loss. PostgreSQL always commits synchronously")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, SyncMode>{{"full", SyncMode::full}, {"normal", SyncMode::normal}}))
      ->option_text("full|normal (default full)");
  cmd->add_option("--tenants", options->tenants_file,
                  "JSON file of per-tenant webhook credentials and dashboard tokens (format in the README)")
      ->envname("VAPIDASH_TENANTS")
      ->check(CLI::ExistingFile);
  cmd->add_option("--webhook-secret", options->webhook_secret,
                  "Secret every tenant's webhooks must carry, as x-vapi-secret or Authorization: Bearer")
      ->envname("VAPIDASH_WEBHOOK_SECRET");
  cmd->add_option("--cors-origins", options->cors_origins,
                  "Browser origins that may use the API and the feed: * (any), a comma-separated list such "
                  "as https://dash.example.com,http://localhost:5173, or none")
      ->envname("VAPIDASH_CORS_ORIGINS")
      ->capture_default_str();
  cmd->add_option(
         "--payloads", options->payloads,
         "What a timeline entry keeps of a webhook message: compact (what the message says, without the "
         "call and assistant configuration VAPI repeats on every message), full (all of it) or none "
         "(its type)")
      ->envname("VAPIDASH_PAYLOADS")
      ->transform(CLI::CheckedTransformer(std::map<std::string, PayloadForm>{
          {"full", PayloadForm::full}, {"compact", PayloadForm::compact}, {"none", PayloadForm::none}}))
      ->option_text("compact|full|none (default compact)");
  cmd->add_option("--retain", options->retain,
                  "Delete calls (and their timelines) that ended longer ago than this, e.g. 30d, in small "
                  "batches while serving; default: keep every call")
      ->envname("VAPIDASH_RETAIN");
  cmd->add_option("--max-listeners-per-call", options->max_listeners_per_call,
                  "Live-audio listeners (GET /ws/listen) one call may have; more are closed with 4429")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}))
      ->capture_default_str();
  cmd->add_option("--max-listeners", options->max_listeners,
                  "Live-audio listeners the whole server may have; more are closed with 4429")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  cmd->add_option("--upstream-cacert", options->upstream_cacert,
                  "PEM certificates to trust for calls' VAPI control and listen URLs instead of the system's "
                  "(a private CA, a test stand-in)")
      ->envname("VAPIDASH_UPSTREAM_CACERT")
      ->check(CLI::ExistingFile);
  cmd->add_option("--control-timeout", options->control_timeout,
                  "How long a control request forwarded to VAPI may take before it is answered 504")
      ->capture_default_str();
  cmd->add_option("--threads", options->threads, "I/O threads (default: one per CPU)")
      ->check(CLI::Range(1U, 256U));
  cmd->add_option("--log-level", options->log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  cmd->add_option("--log-format", options->log_format, "text, or json for one JSON object per line (stderr)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, LogFormat>{{"text", LogFormat::text}, {"json", LogFormat::json}}))
      ->option_text("text|json (default text)");
  cmd->callback([options, &selected] { selected = [options] { return run_serve(*options); }; });
}

}  // namespace vapidash::cli
