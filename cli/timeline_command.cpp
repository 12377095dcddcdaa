#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/timeline.hpp"
#include "vapidash/client/server_error.hpp"

namespace vapidash::cli {

namespace {
struct TimelineArgs {
  std::string client;
  std::string call;
};

// The call, or nullopt when the server has no such call.
std::optional<CallDetail> find_call_detail(ApiClient& api, const TimelineArgs& args) {
  try {
    return api.call_detail(args.client, args.call);
  } catch (const server_error& e) {
    if (e.status() != 404) throw;
    return std::nullopt;
  }
}

// The call's own duration when the server knows it; otherwise the span of its timeline.
std::pair<std::optional<double>, const char*> total_duration(const std::optional<CallDetail>& detail,
                                                             const std::vector<StatusEvent>& events) {
  if (detail && detail->call.duration_seconds) return {detail->call.duration_seconds, "call"};
  return {timeline_span(events), "first to last event"};
}

json rows_json(const std::vector<StatusEvent>& events, const std::vector<TimelineRow>& rows) {
  json out = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.push_back(
        {{"id", rows[i].id},
         {"created_at", rows[i].at},
         {"status", rows[i].status},
         {"since_previous_seconds", rows[i].since_previous ? json(*rows[i].since_previous) : json()},
         {"digest", rows[i].digest},
         {"payload", events[i].payload}});
  }
  return out;
}

void run_timeline(const ClientOptions& options, const TimelineArgs& args) {
  auto api = make_api_client(options);
  const auto events = api.status_events(args.client, args.call);
  // Events logged on a call that was never created still make a timeline; nothing at all is an unknown call,
  // and the server's 404 says so.
  const auto detail =
      events.empty() ? std::optional(api.call_detail(args.client, args.call)) : find_call_detail(api, args);
  const auto rows = timeline_rows(events);
  const auto [total, basis] = total_duration(detail, events);
  const Output out(options);
  if (options.json) {
    return out.json_document(json{{"client_id", args.client},
                                  {"call_id", args.call},
                                  {"events", rows_json(events, rows)},
                                  {"duration_seconds", total ? json(*total) : json()},
                                  {"duration_basis", basis}});
  }
  if (options.quiet) {
    for (const auto& row : rows) out.line(std::to_string(row.id));
    return;
  }
  if (rows.empty()) return out.line("no events for call " + args.call + " of " + args.client);
  std::vector<std::vector<std::string>> table;
  for (const auto& row : rows) {
    table.push_back({std::to_string(row.id), terminal_time(row.at, TimeShown::precise_time),
                     out.status(row.status),
                     row.since_previous ? "+" + format_seconds(*row.since_previous) : "", row.digest});
  }
  out.table({"#", "TIME (UTC)", "STATUS", "SINCE PREV", "PAYLOAD"}, table);
  out.line(out.bold("total") + "  " + (total ? format_seconds(*total) : "-") +
           out.dim(" (" + std::string(basis) + ")"));
}
}  // namespace

void register_timeline(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<TimelineArgs>();
  auto* cmd =
      app.add_subcommand("timeline", "A call's status-event timeline: times, gaps and payload digests");
  cmd->add_option("client", args->client, "Tenant (client_id)")->required();
  cmd->add_option("call", args->call, "Call id")->required();
  cmd->footer(
      "Example:\n  vapidash timeline demo-client c1\n  vapidash timeline demo-client c1 --json | jq .events");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] {
      return run_client_command(options, [&] { run_timeline(options, *args); });
    };
  });
}

}  // namespace vapidash::cli
