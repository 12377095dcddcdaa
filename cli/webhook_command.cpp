#include <random>

#include "cli/commands.hpp"
#include "cli/json_argument.hpp"
#include "cli/output.hpp"
#include "vapidash/client/webhook_builder.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/status.hpp"
#include "vapidash/spelling.hpp"

namespace vapidash::cli {

namespace {
struct WebhookArgs {
  std::string client;
  std::optional<std::string> type;
  std::optional<std::string> call;
  std::optional<std::string> status;
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
  WebhookSpec spec{args.type, args.call, args.status, args.sets, std::nullopt};
  if (!args.file.empty()) spec.file = read_json_argument("@" + args.file, "--file");
  if (!spec.file && !spec.call_id) spec.call_id = generated_call_id();
  const auto now = now_utc();
  const auto envelope = build_webhook(spec, now);
  const auto body = dump_json(envelope);
  const auto headers = !args.hmac_secret.empty() ? webhook_hmac_headers(args.hmac_secret, body, now)
                       : !args.secret.empty()    ? webhook_secret_headers(args.secret)
                                                 : HeaderList{};
  const auto answer = make_api_client(options).post_webhook(args.client, body, headers);
  const Output out(options);
  if (options.json) return out.json_document(json{{"sent", envelope}, {"response", answer}});
  const auto& message = envelope.at("message");
  const auto sent_call = message.contains("call") && message.at("call").is_object()
                             ? message.at("call").value("id", "")
                             : std::string();
  const auto call_id = answer.value("call_id", sent_call);
  if (options.quiet) return out.line(call_id);
  const auto type = message.value("type", std::string("?"));
  out.line("sent " + type + " for call " + out.bold(call_id) + ": " + outcome(out, answer));
}

}  // namespace

void register_webhook(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<WebhookArgs>();
  auto* cmd =
      app.add_subcommand("webhook", "Send one VAPI-shaped server message to POST /webhooks/vapi/{client}");
  cmd->add_option("client", args->client, "Tenant (client_id)")->required();
  cmd->add_option("type", args->type,
                  "Message type: " + comma_list(known_webhook_types()) +
                      ". Optional with --file, and then replaces the file's");
  cmd->add_option(
      "--call", args->call,
      "Call id (default: a new cli-<time>-<n> id, printed); with --file, replaces the file's call.id");
  cmd->add_option("--status", args->status,
                  "status-update's status (default ringing): " + comma_list(known_statuses()));
  cmd->add_option("--set", args->sets,
                  "Override a field by dotted path under message: --set call.customer.number=+1555")
      ->take_all();
  cmd->add_option("--file", args->file,
                  "Send this {\"message\": ...} JSON file; type, --call, --status and --set change it")
      ->check(CLI::ExistingFile);
  auto* secret = cmd->add_option("--secret", args->secret, "Send x-vapi-secret: SECRET")
                     ->envname("VAPIDASH_WEBHOOK_SECRET");
  auto* hmac =
      cmd->add_option("--hmac-secret", args->hmac_secret, "Sign with HMAC-SHA256 (x-signature, x-timestamp)")
          ->envname("VAPIDASH_HMAC_SECRET");
  secret->excludes(hmac);
  cmd->footer(
      "Examples:\n"
      "  vapidash webhook demo status-update --call c1 --status ringing\n"
      "  vapidash webhook demo transcript --call c1 --set transcript='Can I move my appointment?'\n"
      "  vapidash webhook demo end-of-call-report --call c1 --set analysis.summary='Moved to Friday'\n"
      "  vapidash webhook demo --file captured.json --call c2       # replay a captured message on call c2\n"
      "  vapidash webhook acme status-update --hmac-secret \"$SECRET\" --json\n"
      "Only what the type needs is sent (no phone number, no start time), so a message never overwrites\n"
      "what the call already has; add fields with --set.");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] { return run_client_command(options, [&] { run_webhook(options, *args); }); };
  });
}

}  // namespace vapidash::cli
