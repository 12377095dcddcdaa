#include <random>

#include "cli/commands.hpp"
#include "cli/json_argument.hpp"
#include "cli/output.hpp"
#include "vapidash/client/webhook_builder.hpp"
#include "vapidash/error.hpp"

namespace vapidash::cli {

namespace {
struct WebhookArgs {
  std::string client;
  std::string type;
  std::string call;
  std::string status;
  std::vector<std::string> sets;
  std::string file;
  std::string secret;
  std::string hmac_secret;
};

std::string generated_call_id() {
  std::random_device random;
  return "cli-" + std::to_string(unix_seconds(now_utc())) + "-" + std::to_string(random() % 100000);
}

std::string outcome(const Output& out, const json& answer) {
  if (answer.contains("ignored")) return out.dim("ignored: " + answer.at("ignored").get<std::string>());
  if (answer.value("duplicate", false)) return out.dim("duplicate of an earlier delivery; nothing stored");
  return "stored, event #" + std::to_string(answer.at("status_event_id").get<std::int64_t>());
}

void run_webhook(const ClientOptions& options, const WebhookArgs& args) {
  WebhookSpec spec{args.type, args.call.empty() ? generated_call_id() : args.call,
                   args.status.empty() ? std::nullopt : std::optional(args.status), args.sets, std::nullopt};
  if (!args.file.empty()) spec.file = read_json_argument("@" + args.file, "--file");
  const auto now = now_utc();
  const auto envelope = build_webhook(spec, now);
  const auto body = dump_json(envelope);
  const auto headers = !args.hmac_secret.empty() ? webhook_hmac_headers(args.hmac_secret, body, now)
                       : !args.secret.empty()    ? webhook_secret_headers(args.secret)
                                                 : HeaderList{};
  const auto answer = make_api_client(options).post_webhook(args.client, body, headers);
  const Output out(options);
  if (options.json) return out.json_document(json{{"sent", envelope}, {"response", answer}});
  const auto call_id = answer.value("call_id", spec.call_id);
  if (options.quiet) return out.line(call_id);
  const auto type = envelope.at("message").value("type", args.type);
  out.line("sent " + type + " for call " + out.bold(call_id) + ": " + outcome(out, answer));
}

std::string type_list() {
  std::string list;
  for (const auto& type : known_webhook_types()) list += (list.empty() ? "" : ", ") + type;
  return list;
}
}  // namespace

void register_webhook(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<WebhookArgs>();
  auto* cmd =
      app.add_subcommand("webhook", "Send one VAPI-shaped server message to POST /webhooks/vapi/{client}");
  cmd->add_option("client", args->client, "Tenant (client_id)")->required();
  cmd->add_option("type", args->type, "Message type: " + type_list() + " (others get the common envelope)")
      ->required();
  cmd->add_option("--call", args->call, "Call id (default: a new cli-<time>-<n> id, printed)");
  cmd->add_option("--status", args->status, "status-update's status (default ringing)");
  cmd->add_option("--set", args->sets,
                  "Override a field by dotted path under message: --set call.customer.number=+1555")
      ->take_all();
  cmd->add_option("--file", args->file,
                  "Start from this {\"message\": ...} JSON file instead of the defaults")
      ->check(CLI::ExistingFile);
  auto* secret = cmd->add_option("--secret", args->secret, "Send x-vapi-secret: SECRET");
  auto* hmac =
      cmd->add_option("--hmac-secret", args->hmac_secret, "Sign with HMAC-SHA256 (x-signature, x-timestamp)");
  secret->excludes(hmac);
  cmd->footer(
      "Examples:\n"
      "  vapidash webhook demo status-update --call c1 --status ringing\n"
      "  vapidash webhook demo transcript --call c1 --set transcript='Can I move my appointment?'\n"
      "  vapidash webhook demo end-of-call-report --call c1 --set analysis.summary='Moved to Friday'\n"
      "  vapidash webhook acme status-update --hmac-secret \"$SECRET\" --json");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] { return run_client_command(options, [&] { run_webhook(options, *args); }); };
  });
}

}  // namespace vapidash::cli
