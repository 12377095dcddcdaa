#include "cli/commands.hpp"
#include "cli/json_argument.hpp"
#include "cli/output.hpp"
#include "vapidash/client/server_error.hpp"

namespace vapidash::cli {

namespace {
struct EventArgs {
  std::string client;
  std::string call;
  std::string status;
  std::string payload;
};

// The server records events on any call id, so a typo would go unnoticed: say so.
void warn_if_unknown_call(ApiClient& api, const Output& out, const EventArgs& args) {
  try {
    api.call_detail(args.client, args.call);
  } catch (const server_error& e) {
    if (e.status() != 404) throw;
    out.warning(
        "no call " + args.call + " of " + args.client +
        " exists; the event was logged on its timeline anyway (create the call with `vapidash call`)");
  }
}

void run_event(const ClientOptions& options, const EventArgs& args) {
  json body{{"status", args.status}};
  if (!args.payload.empty()) body["payload"] = read_json_argument(args.payload, "--payload");
  auto api = make_api_client(options);
  const auto answer = api.log_status_event(args.client, args.call, body);
  const Output out(options);
  warn_if_unknown_call(api, out, args);
  if (options.json) return out.json_document(answer);
  const auto id = std::to_string(answer.at("event_id").get<std::int64_t>());
  if (options.quiet) return out.line(id);
  out.line("logged event #" + id + " (" + out.status(args.status) + ") on " + out.bold(args.call));
}
}  // namespace

void register_event(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<EventArgs>();
  auto* cmd =
      app.add_subcommand("event", "Log a status event on a call's timeline without changing the call");
  cmd->add_option("client", args->client, "Tenant (client_id)")->required();
  cmd->add_option("call", args->call, "Call id")->required();
  cmd->add_option("status", args->status, "Event status (any non-empty string)")->required();
  cmd->add_option("--payload", args->payload, "Event payload: JSON object, or @file.json");
  cmd->footer("Example:\n  vapidash event demo-client c1 in-progress --payload '{\"source\": \"debug\"}'");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] { return run_client_command(options, [&] { run_event(options, *args); }); };
  });
}

}  // namespace vapidash::cli
