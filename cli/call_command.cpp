#include "cli/commands.hpp"
#include "cli/json_argument.hpp"
#include "cli/output.hpp"
#include "vapidash/model/call_update.hpp"

namespace vapidash::cli {

namespace {
struct CallArgs {
  std::string client;
  std::string id;
  std::string phone;
  std::string status;
  std::string payload;
};

void run_call(const ClientOptions& options, const CallArgs& args) {
  json body = json::object();
  if (!args.id.empty()) body["call_id"] = args.id;
  if (!args.phone.empty()) body["phone_number"] = args.phone;
  if (!args.status.empty()) body["status"] = args.status;
  if (!args.payload.empty()) body["event_payload"] = read_json_argument(args.payload, "--payload");
  const auto answer = make_api_client(options).create_test_call(args.client, body);
  const Output out(options);
  if (options.json) return out.json_document(answer);
  const auto call_id = answer.at("call_id").get<std::string>();
  if (options.quiet) return out.line(call_id);
  const auto status = args.status.empty() ? std::string() : " (" + out.status(args.status) + ")";
  out.line(std::string(answer.at("updated").get<bool>() ? "updated " : "created ") + out.bold(call_id) +
           status + ", event #" + std::to_string(answer.at("status_event_id").get<std::int64_t>()));
}
}  // namespace

void register_call(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<CallArgs>();
  auto* cmd = app.add_subcommand("call", "Create or update a debug call (POST /api/debug/create-test-call)");
  cmd->add_option("client", args->client, "Tenant (client_id)")->required();
  cmd->add_option("--id", args->id, "Call id; a new debug-<unix seconds> id when left out");
  cmd->add_option("--phone", args->phone,
                  std::string("Caller's number (new calls default to ") + default_phone_number + ")");
  cmd->add_option("--status", args->status, "Call status (new calls default to in-progress)");
  cmd->add_option("--payload", args->payload, "Event payload: JSON, or @file.json");
  cmd->footer(
      "Examples:\n"
      "  vapidash call demo-client                          # created debug-1765332952, event #12\n"
      "  vapidash call demo-client --id c1 --status ringing\n"
      "  vapidash call demo-client --id c1 --status ended --payload '{\"note\": \"hung up\"}'");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] { return run_client_command(options, [&] { run_call(options, *args); }); };
  });
}

}  // namespace vapidash::cli
