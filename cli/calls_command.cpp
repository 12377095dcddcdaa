#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/timeline.hpp"
#include "vapidash/model/call_merge.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::cli {

namespace {
struct CallsArgs {
  std::string client;
  std::string status;
  int limit = 0;
};

void run_calls(const ClientOptions& options, const CallsArgs& args) {
  const auto calls = make_api_client(options).list_calls(
      args.client, args.status.empty() ? std::nullopt : std::optional(args.status),
      args.limit > 0 ? std::optional(args.limit) : std::nullopt);
  const Output out(options);
  if (options.json) return out.json_document(json(calls));
  if (options.quiet) {
    for (const auto& call : calls) out.line(call.id);
    return;
  }
  if (calls.empty()) return out.line("no calls for " + args.client);
  std::vector<std::vector<std::string>> rows;
  for (const auto& call : calls) {
    rows.push_back({call.id, out.status(call.status), phone_text(call),
                    terminal_time(call.started_at, TimeShown::date_time), duration_text(call)});
  }
  out.table({"ID", "STATUS", "PHONE", "STARTED (UTC)", "DURATION"}, rows);
}
}  // namespace

void register_calls(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<CallsArgs>();
  auto* cmd = app.add_subcommand("calls", "List a tenant's calls, newest first");
  cmd->add_option("client", args->client, "Tenant (client_id)")->required();
  cmd->add_option("--status", args->status, "Only calls in this status");
  cmd->add_option("--limit", args->limit, "At most this many (1-10000)")->check(CLI::Range(1, 10000));
  cmd->footer(
      "Examples:\n  vapidash calls demo-client\n  vapidash calls demo-client --status in-progress --json");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] { return run_client_command(options, [&] { run_calls(options, *args); }); };
  });
}

}  // namespace vapidash::cli
