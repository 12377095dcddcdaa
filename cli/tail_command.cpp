#include <cstdio>

#include "cli/commands.hpp"
#include "cli/feed_lines.hpp"
#include "cli/output.hpp"

namespace vapidash::cli {

namespace {
struct TailArgs {
  std::string client;
  std::string status;
  std::string type;
  bool events = false;
  bool transcripts = false;
  int count = 0;
  std::string duration;
};

constexpr const char* status_event_type = "status-event";
constexpr const char* transcript_update_type = "transcript-update";

void run_tail(const ClientOptions& options, const TailArgs& args) {
  auto follow = follow_options(options);
  if (!args.client.empty()) follow.client_id = args.client;
  follow.events = args.events || args.type == status_event_type;
  follow.transcripts = args.transcripts || args.type == transcript_update_type;
  if (!args.status.empty()) follow.status = args.status;
  if (!args.type.empty()) follow.type = args.type;
  if (args.count > 0) follow.count = args.count;
  if (!args.duration.empty()) follow.duration = parse_duration(args.duration);

  const auto& stop = stop_on_interrupt();
  const Output out(options);
  FeedFollower follower(
      follow,
      [&](const FeedEvent& event) {
        if (options.json) {
          out.line(dump_json(event.message));
        } else if (options.quiet) {
          if (const auto id = feed_id(event)) out.line(*id);
        } else {
          out.line(feed_line(out, event));
        }
        std::fflush(stdout);
      },
      [&](const std::string& notice) {
        if (!options.quiet) std::fprintf(stderr, "vapidash tail: %s\n", notice.c_str());
      });
  follower.run(stop);
}
}  // namespace

void register_tail(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<TailArgs>();
  auto* cmd = app.add_subcommand(
      "tail", "Follow the live dashboard feed: a line per call change, with --events per timeline event");
  cmd->add_option("--client", args->client, "Only this tenant (?client_id=)");
  cmd->add_flag("--events", args->events, "Also each timeline event as it is recorded (?events=1)");
  cmd->add_flag("--transcripts", args->transcripts,
                "Also each final transcript line of the calls shown, as it is spoken (transcript-update)");
  cmd->add_option("--status", args->status,
                  "Only changes of calls in this status (and events of this status)");
  cmd->add_option("--type", args->type,
                  "Only messages of this type: call-upsert, status-event (implies --events) or "
                  "transcript-update (implies --transcripts)");
  cmd->add_option("--count", args->count, "Exit 0 after this many lines")
      ->check(CLI::Range(1, 1'000'000'000));
  cmd->add_option("--for", args->duration, "Exit 0 after this long: 30s, 500ms, 2m, 1h");
  cmd->footer(
      "Says where it connected on stderr, then prints a line per change: the time, tenant, call, what\n"
      "changed it (the VAPI message type, or debug) with the status where it moved, and the phone:\n"
      "  09:23:41  demo-client  c1  status-update ringing → in-progress  +14155550100\n"
      "  09:23:45  demo-client  c1  transcript  +14155550100\n"
      "With --events, each timeline event too, just before the change it caused:\n"
      "  09:23:45  demo-client  c1  event #7  transcript final user: I'd like to book a cleaning.\n"
      "With --transcripts, each final transcript line of the calls shown, as it is spoken:\n"
      "  09:23:45  demo-client  c1  user: I'd like to book a cleaning.\n"
      "--json prints the feed's messages as they come, one JSON object per line (call-upsert, "
      "status-event,\ntranscript-update);\n"
      "--quiet only the id of each call that changed, and of each event.\n"
      "Reconnects with backoff when the server goes away (notices on stderr; --quiet hides them) and pings "
      "an\n"
      "idle feed. Exits 0 on Ctrl-C, SIGTERM, --count or --for; 3 when the server cannot be reached at "
      "start.\n"
      "Examples:\n"
      "  vapidash tail\n"
      "  vapidash tail --client demo-client --status in-progress\n"
      "  vapidash tail --events --client demo-client           # like stripe logs tail\n"
      "  vapidash tail --client demo-client --transcripts      # what is being said, live\n"
      "  vapidash tail --type status-event --json | jq .event.payload\n"
      "  vapidash tail --json --count 10 | jq .call.status");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] { return run_client_command(options, [&] { run_tail(options, *args); }); };
  });
}

}  // namespace vapidash::cli
