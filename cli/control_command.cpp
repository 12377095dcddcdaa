#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace vapidash::cli {

namespace {
struct ControlArgs {
  std::string client;
  std::string call;
  std::string text;         // say, add-message
  bool end_after = false;   // say
  std::string destination;  // transfer
  std::string message;      // transfer
  std::string role;         // add-message
  bool respond = false;     // add-message
};

// What each action sends to POST /api/{client}/calls/{call}/control: VAPI's own control bodies.
json say_body(const ControlArgs& args) {
  return json{{"type", "say"}, {"content", args.text}, {"endCallAfterSpoken", args.end_after}};
}

json transfer_body(const ControlArgs& args) {
  json body{{"type", "transfer"}, {"destination", {{"type", "number"}, {"number", args.destination}}}};
  if (args.destination.rfind("sip:", 0) == 0)
    body["destination"] = {{"type", "sip"}, {"sipUri", args.destination}};
  if (!args.message.empty()) body["content"] = args.message;
  return body;
}

json add_message_body(const ControlArgs& args) {
  return json{{"type", "add-message"},
              {"message", {{"role", args.role}, {"content", args.text}}},
              {"triggerResponseEnabled", args.respond}};
}

void run_control(const ClientOptions& options, const ControlArgs& args, const std::string& action,
                 const json& body) {
  auto api = make_api_client(options);
  const auto answer = api.control_call(args.client, args.call, body);
  const Output out(options);
  if (options.json) return out.json_document(answer);
  const auto event_id = std::to_string(answer.at("event_id").get<std::int64_t>());
  if (options.quiet) return out.line(event_id);
  out.line(action + " sent to " + out.bold(args.call) + ": VAPI answered " +
           std::to_string(answer.value("upstream_status", 0)) + ", recorded as event #" + event_id);
}

CLI::App* add_action(CLI::App& control, const ClientOptions& options, SelectedCommand& selected,
                     const std::shared_ptr<ControlArgs>& args, const std::string& name,
                     const std::string& help, std::function<json(const ControlArgs&)> body_of) {
  auto* action = control.add_subcommand(name, help);
  action->callback([&options, args, &selected, name, body_of = std::move(body_of)] {
    selected = [&options, args, name, body_of] {
      return run_client_command(options, [&] { run_control(options, *args, name, body_of(*args)); });
    };
  });
  return action;
}

json fixed_body(const char* type, const char* control = nullptr) {
  json body{{"type", type}};
  if (control != nullptr) body["control"] = control;
  return body;
}
}  // namespace

void register_control(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<ControlArgs>();
  auto* cmd = app.add_subcommand("control", "Act on a live call through VAPI: say, transfer, end, mute");
  cmd->add_option("client", args->client, "Tenant (client_id)")->required();
  cmd->add_option("call", args->call, "Call id")->required();
  cmd->require_subcommand(1);

  auto* say = add_action(*cmd, options, selected, args, "say", "Make the assistant say TEXT", say_body);
  say->add_option("text", args->text, "What the assistant says")->required();
  say->add_flag("--end-after", args->end_after, "End the call once it is said");

  auto* transfer = add_action(*cmd, options, selected, args, "transfer",
                              "Transfer the caller to a phone number (+E.164) or a sip: URI", transfer_body);
  transfer->add_option("destination", args->destination, "+15551234567, or sip:agent@example.com")
      ->required();
  transfer->add_option("--message", args->message, "What the assistant says before transferring");

  add_action(*cmd, options, selected, args, "end", "End the call",
             [](const ControlArgs&) { return fixed_body("end-call"); });
  add_action(*cmd, options, selected, args, "mute-assistant", "Mute the assistant (the caller hears silence)",
             [](const ControlArgs&) { return fixed_body("control", "mute-assistant"); });
  add_action(*cmd, options, selected, args, "unmute-assistant", "Unmute the assistant",
             [](const ControlArgs&) { return fixed_body("control", "unmute-assistant"); });

  auto* add_message = add_action(*cmd, options, selected, args, "add-message",
                                 "Add a message to the conversation, as ROLE", add_message_body);
  add_message->add_option("role", args->role, "system, user or assistant")
      ->required()
      ->check(CLI::IsMember({"system", "user", "assistant"}));
  add_message->add_option("text", args->text, "The message")->required();
  add_message->add_flag("--respond", args->respond,
                        "Let the assistant respond to it (triggerResponseEnabled)");

  cmd->footer(
      "The server forwards the request to the call's VAPI control URL, answers with VAPI's status, and\n"
      "records what was done on the call's timeline as control:<action>, with who asked.\n"
      "Prints what VAPI answered and the event's id; --json the server's answer; --quiet the event id.\n"
      "Exit 1 when the server or VAPI refuses: 404 unknown call, 409 no controlUrl or the call has ended,\n"
      "504 VAPI did not answer in time (it may or may not have acted), 502 VAPI unreachable.\n"
      "Examples:\n"
      "  vapidash control demo-client c1 say \"One moment please\"\n"
      "  vapidash control demo-client c1 transfer +15551234567 --message \"Connecting you to an agent\"\n"
      "  vapidash control demo-client c1 end\n"
      "  vapidash control demo-client c1 add-message system \"The caller is a VIP\" --respond");
}

}  // namespace vapidash::cli
