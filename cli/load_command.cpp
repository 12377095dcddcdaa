#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

#include "cli/commands.hpp"
#include "cli/embedded_server.hpp"
#include "cli/output.hpp"
#include "cli/scenario_files.hpp"
#include "vapidash/error.hpp"
#include "vapidash/load/load_run.hpp"
#include "vapidash/load/threshold.hpp"

namespace vapidash::cli {

namespace {

struct LoadArgs {
  std::string scenario;
  bool embedded = false;
  double rate = 0;
  std::optional<double> ramp_to;
  std::string ramp_for;
  std::optional<std::uint64_t> calls;
  std::string duration;
  std::size_t dashboards = 0;
  std::size_t stalled = 0;
  bool all_tenants = false;
  std::size_t connections = 32;
  std::size_t max_in_flight = 10000;
  std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  std::vector<std::string> thresholds;
  std::string out;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> vars;
  std::string secret;
  std::string hmac_secret;
  std::string drain = "5s";
  std::string feed_server;
};

std::string milliseconds_text(const json& value) {
  if (!value.is_number()) return "-";
  char text[32];
  const double ms = value.get<double>();
  std::snprintf(text, sizeof text, ms < 10 ? "%.2fms" : ms < 100 ? "%.1fms" : "%.0fms", ms);
  return text;
}

std::string count_text(const json& value) {
  return value.is_number() ? std::to_string(value.get<std::uint64_t>()) : "-";
}

std::vector<std::string> latency_row(const std::string& name, const json& latency) {
  return {name,
          count_text(latency["count"]),
          milliseconds_text(latency["p50"]),
          milliseconds_text(latency["p90"]),
          milliseconds_text(latency["p99"]),
          milliseconds_text(latency["p999"]),
          milliseconds_text(latency["max"])};
}

// One line a second on the terminal's stderr, drawn over the last.
void print_progress(const LoadProgress& progress) {
  char p99[32] = "-";
  if (progress.p99_ms) std::snprintf(p99, sizeof p99, "%.2fms", *progress.p99_ms);
  std::fprintf(
      stderr,
      "\r\033[K%5.0fs  started %llu  dropped %llu  in flight %llu  requests %llu (%.0f/s)  errors %llu  "
      "p99 %s",
      static_cast<double>(progress.elapsed.count()) / 1000, static_cast<unsigned long long>(progress.started),
      static_cast<unsigned long long>(progress.dropped), static_cast<unsigned long long>(progress.in_flight),
      static_cast<unsigned long long>(progress.requests), progress.rate,
      static_cast<unsigned long long>(progress.errors), p99);
  std::fflush(stderr);
}

class Load {
 public:
  Load(const ClientOptions& options, const LoadArgs& args) : options_(options), args_(args), out_(options) {}

  int run() {
    std::vector<Threshold> thresholds;
    for (const auto& text : args_.thresholds) thresholds.push_back(parse_threshold(text));
    check_arguments();
    const auto scenarios = load_scenarios({args_.scenario}, scenario_inputs(args_.vars));
    const auto& scenario = scenarios.front();
    const LoadPlan plan(scenario, credentials());
    const ArrivalSchedule schedule(args_.rate, args_.ramp_to,
                                   std::chrono::duration<double>(ramp_for().count() / 1000.0), args_.calls,
                                   duration());
    std::unique_ptr<EmbeddedServer> embedded;
    auto options = load_options();
    if (args_.embedded) {
      embedded = std::make_unique<EmbeddedServer>(scenario.tenants_file);
      options.server = embedded->endpoint();
    }
    std::ofstream records;
    if (!args_.out.empty()) {
      records.open(args_.out);
      if (!records) throw invalid_input("unwritable_out", "cannot write the records to " + args_.out);
      options.records = &records;
    }
    const bool progress = isatty(STDERR_FILENO) == 1 && !options_.quiet && !options_.json;
    auto summary = run_load(plan, schedule, options, [&](const LoadProgress& p) {
      if (progress) print_progress(p);
    });
    if (progress) std::fprintf(stderr, "\r\033[K");
    const auto broken = violated(thresholds, summary);
    summary["thresholds"] = threshold_json(thresholds, broken);
    report(summary, broken);
    return broken.empty() ? exit_ok : exit_refused;
  }

 private:
  void check_arguments() const {
    if (args_.calls.has_value() == !args_.duration.empty())
      throw invalid_input("invalid_argument",
                          "give how long to run: --calls N or --for DURATION (one of them)");
    if (!args_.ramp_for.empty() && !args_.ramp_to)
      throw invalid_input("invalid_argument", "--ramp-for needs --ramp-to: the rate to ramp to");
    if (args_.stalled > args_.dashboards)
      throw invalid_input("invalid_argument", "--stalled-dashboards cannot exceed --dashboards");
  }

  std::chrono::milliseconds ramp_for() const {
    if (args_.ramp_to && args_.ramp_for.empty())
      throw invalid_input("invalid_argument", "--ramp-to needs --ramp-for: how long the ramp takes");
    return args_.ramp_for.empty() ? std::chrono::milliseconds(0) : parse_duration(args_.ramp_for);
  }

  std::optional<std::chrono::duration<double>> duration() const {
    if (args_.duration.empty()) return std::nullopt;
    return std::chrono::duration<double>(parse_duration(args_.duration).count() / 1000.0);
  }

  Credentials credentials() const {
    Credentials out;
    if (!options_.token.empty()) out.token = options_.token;
    if (!args_.secret.empty()) out.secret = args_.secret;
    if (!args_.hmac_secret.empty()) out.hmac_secret = args_.hmac_secret;
    return out;
  }

  LoadOptions load_options() const {
    LoadOptions options;
    options.server = server_url(options_);
    if (!args_.feed_server.empty()) options.feed_server = parse_server_url(args_.feed_server);
    options.credentials = credentials();
    options.timeout = request_timeout(options_);
    options.dashboards = args_.dashboards;
    options.stalled_dashboards = args_.stalled;
    options.all_tenants = args_.all_tenants;
    options.connections = args_.connections;
    options.max_in_flight = args_.max_in_flight;
    options.threads = args_.threads;
    options.seed = args_.seed.value_or(std::random_device{}() % 1'000'000);
    options.drain = parse_duration(args_.drain);
    return options;
  }

  static json threshold_json(const std::vector<Threshold>& thresholds,
                             const std::vector<std::string>& broken) {
    json out = json::array();
    for (const auto& threshold : thresholds) {
      const bool failed = std::any_of(broken.begin(), broken.end(), [&](const std::string& line) {
        return line.compare(0, threshold.text.size() + 1, threshold.text + ":") == 0;
      });
      out.push_back(json{{"threshold", threshold.text}, {"passed", !failed}});
    }
    return out;
  }

  void report(const json& summary, const std::vector<std::string>& broken) const {
    if (options_.json) {
      out_.json_document(summary);
    } else if (!options_.quiet) {
      print_summary(summary);
    }
    for (const auto& line : broken) std::fprintf(stderr, "threshold violated: %s\n", line.c_str());
  }

  void print_summary(const json& s) const {
    const auto& calls = s["calls"];
    out_.line(out_.bold(s["scenario"].get<std::string>()) + "  " + s["file"].get<std::string>() +
              "  against " + s["server"].get<std::string>());
    out_.line("calls     " + count_text(calls["scheduled"]) + " scheduled, " + count_text(calls["started"]) +
              " started, " + count_text(calls["completed"]) + " completed, " + count_text(calls["failed"]) +
              " failed, " + count_text(s["dropped"]) + " dropped (max in flight reached)");
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.1f/s in %.2fs", s["rate_achieved"].get<double>(),
                  s["duration_s"].get<double>());
    out_.line("requests  " + count_text(s["requests"]) + " at " + rate + ", " + count_text(s["errors"]) +
              " errors");
    for (const auto& [cause, count] : s["errors_by_cause"].items())
      out_.line("          " + count_text(count) + " × " + cause);
    std::vector<std::vector<std::string>> rows{latency_row("http", s["http"])};
    for (const auto& [action, latency] : s["http"]["by_action"].items())
      rows.push_back(latency_row("  " + action, latency));
    const auto& delivery = s["delivery"];
    if (delivery["dashboards"].get<std::uint64_t>() > 0) rows.push_back(latency_row("delivery", delivery));
    out_.line("");
    out_.table({"latency", "count", "p50", "p90", "p99", "p99.9", "max"}, rows);
    if (delivery.contains("reference_failure")) {
      out_.line("");
      out_.line(
          "deliveries not measured: the events feed that tells which request caused each upsert ended (" +
          delivery["reference_failure"].get<std::string>() +
          "); the generator could not keep up: fewer --dashboards or more --threads");
    } else if (delivery["dashboards"].get<std::uint64_t>() > 0) {
      out_.line("");
      out_.line("dashboards " + count_text(delivery["dashboards"]) + ": " + count_text(delivery["expected"]) +
                " upserts expected, " + count_text(delivery["received"]) + " received, " +
                count_text(delivery["lost"]) + " lost, " + count_text(delivery["duplicated"]) +
                " duplicated, " + count_text(delivery["reordered"]) + " reordered, " +
                count_text(delivery["failed_feeds"]) + " feeds closed");
      for (const auto& [why, count] : delivery["feed_failures"].items())
        out_.line("          " + count_text(count) + " × " + why);
    }
    if (s["skipped_expectations"].get<std::uint64_t>() > 0)
      out_.line(out_.dim(count_text(s["skipped_expectations"]) +
                         " expectation steps skipped: load measures; vapidash replay checks"));
    for (const auto& threshold : s["thresholds"])
      out_.line((threshold["passed"].get<bool>() ? "✓ " : "✗ ") + threshold["threshold"].get<std::string>());
  }

  const ClientOptions& options_;
  const LoadArgs& args_;
  Output out_;
};

}  // namespace

void register_load(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<LoadArgs>();
  auto* cmd = app.add_subcommand(
      "load", "Open-model load from a scenario file: HTTP latency, webhook-to-dashboard latency, thresholds");
  cmd->add_option("scenario", args->scenario, "The scenario file each virtual call runs (scenarios/load/)")
      ->required()
      ->check(CLI::ExistingFile);
  auto* embedded = cmd->add_flag("--embedded", args->embedded,
                                 "Load a server started in this process on a temporary database (no set-up)");
  cmd->add_option("--rate", args->rate, "Virtual calls started per second, whatever the server's latency")
      ->required()
      ->check(CLI::Range(0.001, 1e7));
  cmd->add_option("--ramp-to", args->ramp_to, "Change the start rate linearly to this over --ramp-for")
      ->check(CLI::Range(0.0, 1e7));
  cmd->add_option("--ramp-for", args->ramp_for, "How long the ramp takes (30s, 2m)");
  auto* calls = cmd->add_option("--calls", args->calls, "Start this many virtual calls, then stop")
                    ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000}));
  cmd->add_option("--for", args->duration, "Start virtual calls for this long (60s, 5m), then stop")
      ->excludes(calls);
  cmd->add_option("--dashboards", args->dashboards,
                  "Open this many dashboard feeds and measure each upsert's delivery to every one")
      ->check(CLI::Range(std::size_t{0}, std::size_t{100000}))
      ->capture_default_str();
  cmd->add_option("--feed-server", args->feed_server,
                  "Open the dashboards on this server instead of --server: another server on the same "
                  "PostgreSQL database, to measure delivery from one server to another")
      ->option_text("URL")
      ->excludes(embedded);
  cmd->add_option(
         "--stalled-dashboards", args->stalled,
         "Of the dashboards, this many open and never read (the server must close them, not slow down)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{100000}));
  cmd->add_flag(
      "--all-tenants", args->all_tenants,
      "Dashboards on the all-tenants feed (with --token when tenants are guarded), not the scenario's "
      "tenant");
  cmd->add_option("--connections", args->connections,
                  "Keep-alive HTTP connections, shared by the virtual calls")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}))
      ->capture_default_str();
  cmd->add_option("--max-in-flight", args->max_in_flight,
                  "Virtual calls running at once; a start beyond it is dropped and counted")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}))
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "Generator threads, each with its own connections and feeds")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}))
      ->capture_default_str();
  cmd->add_option("--threshold", args->thresholds,
                  "Pass/fail criterion (repeatable): 'http.p99<20ms', 'delivery.p99<10ms', 'errors==0', "
                  "'lost==0', 'dropped==0'; any violated: exit 1");
  cmd->add_option("--out", args->out, "Also write one JSON line per request and per delivery to FILE");
  cmd->add_option("--seed", args->seed, "Seed of the scenario's chaos (copies, order, jitter)");
  cmd->add_option("--var", args->vars, "Override a scenario variable: --var client=acme (repeatable)");
  auto* secret = cmd->add_option("--secret", args->secret, "Send webhooks with x-vapi-secret: SECRET")
                     ->envname("VAPIDASH_WEBHOOK_SECRET");
  cmd->add_option("--hmac-secret", args->hmac_secret, "Sign webhooks with HMAC-SHA256")
      ->envname("VAPIDASH_HMAC_SECRET")
      ->excludes(secret);
  cmd->add_option("--drain", args->drain, "How long dashboards may take to catch up after the last answer")
      ->capture_default_str();
  cmd->footer(
      "Open model (k6's constant-arrival-rate): a virtual call starts every 1/RATE seconds whether or not "
      "the\n"
      "server keeps up, and runs the scenario's webhook, debug_call, log_event and sleep steps with call "
      "ids\n"
      "of its own; expect_* steps are replay's checks and are skipped; an answer whose status is not the\n"
      "step's expect.status (200) is an error and ends that virtual call.\n"
      "Latency runs from when a request should have left, not when it did (no coordinated omission). With\n"
      "--dashboards, one more feed (events=1) tells which request caused each upsert; every dashboard must\n"
      "receive each one once and in order: lost, duplicated and reordered count what did not.\n"
      "Threshold metrics: requests errors error_rate dropped rate_achieved lost duplicated reordered\n"
      "failed_feeds, and http./delivery. p50 p90 p99 p999 max (in ms; 'us', 'ms', 's' units).\n"
      "Exit codes: 0 done and every threshold held; 1 a threshold was violated; 2 usage (an unknown\n"
      "            metric, an invalid scenario); 3 the server cannot be reached.\n"
      "Examples:\n"
      "  vapidash load scenarios/load/status-update.json --embedded --rate 2000 --for 10s\n"
      "  vapidash load scenarios/load/call-lifecycle.json --rate 20 --for 2m --dashboards 50 \\\n"
      "      --threshold 'delivery.p99<10ms' --threshold 'lost==0'\n"
      "  vapidash load scenarios/load/status-update.json --rate 100 --ramp-to 2000 --ramp-for 1m --for 2m "
      "--json");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] {
      return run_client_command_with_code(options, [&] { return Load(options, *args).run(); });
    };
  });
}

}  // namespace vapidash::cli
