#include <csignal>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "vapidash/client/feed_follower.hpp"
#include "vapidash/model/timestamp.hpp"

namespace vapidash::cli {

namespace {
struct TailArgs {
  std::string client;
  std::string status;
  std::string type;
  int count = 0;
  std::string duration;
};

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int) {
  interrupted = true;
}

std::string describe(const Output& out, const FeedEvent& event) {
  if (!event.call) return out.dim(dump_json(event.message));
  const auto& call = *event.call;
  const auto now = terminal_time(format_timestamp(now_utc()), TimeShown::time);
  const auto move = event.previous_status && *event.previous_status != call.status
                        ? out.status(*event.previous_status) + " → " + out.status(call.status)
                        : out.status(call.status);
  return out.dim(now) + "  " + call.client_id + "  " + out.bold(call.id) + "  " + move + "  " +
         (call.phone_number.empty() ? "-" : call.phone_number);
}

void run_tail(const ClientOptions& options, const TailArgs& args) {
  FollowOptions follow;
  follow.server = server_url(options);
  follow.tls = tls_options(options);
  follow.timeout = request_timeout(options);
  if (!args.client.empty()) follow.client_id = args.client;
  if (!options.token.empty()) follow.token = options.token;
  if (!args.status.empty()) follow.status = args.status;
  if (!args.type.empty()) follow.type = args.type;
  if (args.count > 0) follow.count = args.count;
  if (!args.duration.empty()) follow.duration = parse_duration(args.duration);

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  const Output out(options);
  FeedFollower follower(
      follow,
      [&](const FeedEvent& event) {
        out.line(options.json ? dump_json(event.message) : describe(out, event));
        std::fflush(stdout);
      },
      [&](const std::string& notice) {
        if (!options.quiet) std::fprintf(stderr, "vapidash tail: %s\n", notice.c_str());
      });
  follower.run(interrupted);
}
}  // namespace

void register_tail(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<TailArgs>();
  auto* cmd = app.add_subcommand("tail", "Follow the live dashboard feed: one line per call-upsert");
  cmd->add_option("--client", args->client, "Only this tenant (?client_id=)");
  cmd->add_option("--status", args->status, "Only upserts of calls in this status");
  cmd->add_option("--type", args->type, "Only messages of this type (the feed sends call-upsert)");
  cmd->add_option("--count", args->count, "Exit 0 after this many lines")
      ->check(CLI::Range(1, 1'000'000'000));
  cmd->add_option("--for", args->duration, "Exit 0 after this long: 30s, 500ms, 2m, 1h");
  cmd->footer(
      "Reconnects with backoff when the server goes away (notices on stderr) and pings an idle feed.\n"
      "Exits 0 on Ctrl-C, --count or --for; 3 when the server cannot be reached at start.\n"
      "Examples:\n"
      "  vapidash tail\n"
      "  vapidash tail --client demo-client --status in-progress\n"
      "  vapidash tail --json --count 10 | jq .call.status");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] { return run_client_command(options, [&] { run_tail(options, *args); }); };
  });
}

}  // namespace vapidash::cli
