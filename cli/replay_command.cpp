#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "cli/commands.hpp"
#include "cli/embedded_server.hpp"
#include "cli/output.hpp"
#include "cli/replay_report.hpp"
#include "cli/scenario_files.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/timestamp.hpp"

namespace vapidash::cli {

namespace {

struct ReplayArgs {
  std::vector<std::string> paths;
  bool embedded = false;
  std::vector<std::string> tags;
  std::vector<std::string> skip_tags;
  std::vector<std::string> vars;
  std::optional<std::uint64_t> seed;
  double speed = 1.0;
  int repeat = 1;
  int parallel = 1;
  std::string junit;
  std::string secret;
  std::string hmac_secret;
};

// One run of one scenario: which copy it is, with its own call ids and seed.
struct Task {
  const Scenario* scenario;
  int copy;
};

bool any_tag(const Scenario& scenario, const std::vector<std::string>& tags) {
  return std::any_of(tags.begin(), tags.end(), [&](const std::string& tag) { return scenario.tagged(tag); });
}

std::uint64_t chosen_seed(const ReplayArgs& args) {
  if (args.seed) return *args.seed;
  return std::random_device{}() % 1'000'000;
}

// Where each scenario runs: the server named by --server, or with --embedded one in-process server per
// tenants file the scenarios name (and one open server for the rest).
class Servers {
 public:
  Servers(const ClientOptions& options, bool embedded) : options_(options), embedded_(embedded) {}

  RunOptions for_scenario(const Scenario& scenario, const ReplayArgs& args) {
    RunOptions run;
    run.timeout = request_timeout(options_);
    if (!options_.token.empty()) run.credentials.token = options_.token;
    if (!args.secret.empty()) run.credentials.secret = args.secret;
    if (!args.hmac_secret.empty()) run.credentials.hmac_secret = args.hmac_secret;
    run.speed = args.speed;
    if (!embedded_) {
      run.server = server_url(options_);
      run.tls = tls_options(options_);
      return run;
    }
    std::lock_guard lock(mutex_);
    auto& server = servers_[scenario.tenants_file.value_or("")];
    if (!server) server = std::make_unique<EmbeddedServer>(scenario.tenants_file);
    run.server = server->endpoint();
    return run;
  }

 private:
  const ClientOptions& options_;
  bool embedded_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<EmbeddedServer>> servers_;
};

class Replay {
 public:
  Replay(const ClientOptions& options, const ReplayArgs& args)
      : options_(options),
        args_(args),
        out_(options),
        servers_(options, args.embedded),
        seed_(chosen_seed(args)) {}

  int run() {
    const auto started = std::chrono::steady_clock::now();
    const auto scenarios = load_scenarios(scenario_files(args_.paths), scenario_inputs(args_.vars));
    std::vector<Task> tasks;
    for (const auto& scenario : scenarios) {
      if ((!args_.tags.empty() && !any_tag(scenario, args_.tags)) || any_tag(scenario, args_.skip_tags)) {
        summary_.skipped.push_back(scenario.file);
        continue;
      }
      for (int copy = 0; copy < args_.repeat; ++copy) tasks.push_back(Task{&scenario, copy});
    }
    run_all(tasks);
    summary_.took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    report();
    if (summary_.results.empty() && !summary_.skipped.empty()) {
      out_.warning("every scenario was skipped by --tags / --skip-tags: nothing ran");
    }
    return summary_.failed() > 0 ? exit_refused : exit_ok;
  }

 private:
  // Workers take tasks in order; a connection error (the server cannot be reached) stops them all and is
  // rethrown, so the exit code says 3.
  void run_all(const std::vector<Task>& tasks) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr unreachable;
    const auto worker = [&] {
      for (auto i = next++; i < tasks.size() && !unreachable; i = next++) {
        try {
          run_task(tasks[i]);
        } catch (...) {
          std::lock_guard lock(mutex_);
          if (!unreachable) unreachable = std::current_exception();
        }
      }
    };
    std::vector<std::thread> workers;
    const auto count = std::min<std::size_t>(static_cast<std::size_t>(args_.parallel), tasks.size());
    for (std::size_t w = 1; w < count; ++w) workers.emplace_back(worker);
    worker();
    for (auto& thread : workers) thread.join();
    if (unreachable) std::rethrow_exception(unreachable);
  }

  void run_task(const Task& task) {
    auto options = servers_.for_scenario(*task.scenario, args_);
    options.seed = seed_ + static_cast<std::uint64_t>(task.copy);
    const bool progress = out_.terminal() && !options_.json && !options_.quiet && args_.parallel == 1;
    if (progress) out_.line(out_.bold(task.scenario->file) + "  " + task.scenario->name);
    auto result = run_scenario(*task.scenario, options, [&](const StepReport& step) {
      if (progress) out_.line(step_line(out_, step));
    });
    std::lock_guard lock(mutex_);
    if (!options_.json) {
      if (!options_.quiet || !result.passed()) out_.line(result_line(out_, result));
      if (!result.passed()) std::fprintf(stdout, "%s", failure_text(result).c_str());
      std::fflush(stdout);
    }
    summary_.results.push_back(std::move(result));
  }

  void report() {
    if (!args_.junit.empty()) {
      std::ofstream junit(args_.junit);
      junit << junit_xml(summary_);
      if (!junit) throw invalid_input("unwritable_junit", "cannot write the JUnit report to " + args_.junit);
    }
    if (options_.json) return out_.json_document(summary_json(summary_));
    if (!options_.quiet) out_.line(summary_line(summary_));
  }

  const ClientOptions& options_;
  const ReplayArgs& args_;
  Output out_;
  Servers servers_;
  std::uint64_t seed_;
  std::mutex mutex_;
  ReplaySummary summary_;
};

}  // namespace

void register_replay(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<ReplayArgs>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Run scripted VAPI scenarios (JSON files) against a server and check what it stored and sent");
  cmd->add_option("paths", args->paths, "Scenario files, or directories of them (their *.json scenarios)")
      ->required();
  cmd->add_flag("--embedded", args->embedded,
                "Run against a server started in this process on a temporary database (no set-up)");
  cmd->add_option("--tags", args->tags, "Only scenarios with one of these tags")->delimiter(',');
  cmd->add_option("--skip-tags", args->skip_tags, "Leave out scenarios with one of these tags")
      ->delimiter(',');
  cmd->add_option("--var", args->vars, "Override a scenario variable: --var client=acme (repeatable)");
  cmd->add_option("--seed", args->seed,
                  "Seed of the chaos (duplicates, order, jitter); printed with failures");
  cmd->add_option("--speed", args->speed,
                  "Scale sleeps, jitter, windows and timeouts: 2 runs twice as fast, 0.5 gives a slow server "
                  "twice as long")
      ->check(CLI::Range(0.01, 1000.0))
      ->capture_default_str();
  cmd->add_option("--repeat", args->repeat, "Run each scenario this many times, each with its own call ids")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--parallel", args->parallel, "Run this many scenario runs at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--junit", args->junit, "Also write a JUnit XML report to this file");
  auto* secret = cmd->add_option("--secret", args->secret, "Send webhooks with x-vapi-secret: SECRET")
                     ->envname("VAPIDASH_WEBHOOK_SECRET");
  cmd->add_option("--hmac-secret", args->hmac_secret, "Sign webhooks with HMAC-SHA256")
      ->envname("VAPIDASH_HMAC_SECRET")
      ->excludes(secret);
  cmd->footer(
      "Each scenario opens its dashboard feeds, runs its steps in order and stops at the first that fails.\n"
      "A failure names FILE: step N (name), each field that differs (expected vs actual), the last messages\n"
      "its feed received, a curl command that re-sends the request, and the seed that replays it.\n"
      "The format: scenarios/README.md. Check files without running them: vapidash scenario validate.\n"
      "Exit codes: 0 every scenario passed; 1 an expectation failed; 2 an invalid scenario or usage;\n"
      "            3 the server cannot be reached.\n"
      "Examples:\n"
      "  vapidash replay --embedded scenarios/                 # the bundled smoke suite, no server needed\n"
      "  vapidash replay scenarios/ --server https://dash.example.com --tags seed-api\n"
      "  vapidash replay scenarios/twenty-concurrent-calls.json --embedded --repeat 50 --parallel 10\n"
      "  vapidash replay scenarios/ --embedded --junit replay.xml --json > replay.json");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] {
      return run_client_command_with_code(options, [&] { return Replay(options, *args).run(); });
    };
  });
}

}  // namespace vapidash::cli
