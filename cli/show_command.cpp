#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/timeline.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::cli {

namespace {
struct ShowArgs {
  std::string client;
  std::string call;
};

std::string number_or_dash(const std::optional<double>& value) {
  return value ? dump_json(json(*value)) : "-";
}

std::string time_text(const std::optional<std::string>& value) {
  return terminal_time(value, TimeShown::date_time);
}

void print_fields(const Output& out, const Call& call) {
  const std::vector<std::pair<const char*, std::string>> fields = {
      {"status", out.status(call.status)},
      {"phone", phone_text(call)},
      {"started", time_text(call.started_at)},
      {"ended", time_text(call.ended_at)},
      {"ended reason", or_dash(call.ended_reason)},
      {"cost", number_or_dash(call.cost)},
      {"listen", or_dash(call.listen_url)},
      {"control", or_dash(call.control_url)},
      {"recording", or_dash(call.recording_url)},
      {"stereo", or_dash(call.stereo_recording_url)},
      {"created", time_text(call.created_at)},
      {"updated", time_text(call.updated_at)},
      {"duration", duration_text(call)}};
  out.line(out.bold("call " + call.id) + "  " + out.dim(call.client_id));
  for (const auto& [label, value] : fields) {
    out.line("  " + std::string(label) + std::string(14 - std::string(label).size(), ' ') + value);
  }
}

void print_transcript(const Output& out, const CallDetail& detail) {
  if (detail.call.summary) out.line("\n" + out.bold("summary") + "\n  " + *detail.call.summary);
  if (detail.transcript.empty()) return;
  out.line("\n" + out.bold("transcript"));
  for (const auto& line : detail.transcript) {
    const auto at = line.at ? terminal_time(line.at, TimeShown::time) + "  " : "";
    out.line("  " + out.dim(at) + (line.role == "user" ? out.bold("user") : line.role) + ": " + line.text);
  }
}

void run_show(const ClientOptions& options, const ShowArgs& args) {
  const auto detail = make_api_client(options).call_detail(args.client, args.call);
  const Output out(options);
  if (options.json) return out.json_document(json(detail));
  if (options.quiet) return out.line(detail.call.id);
  print_fields(out, detail.call);
  print_transcript(out, detail);
}
}  // namespace

void register_show(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<ShowArgs>();
  auto* cmd =
      app.add_subcommand("show", "One call in full: fields, summary, and its transcript as a conversation");
  cmd->add_option("client", args->client, "Tenant (client_id)")->required();
  cmd->add_option("call", args->call, "Call id")->required();
  cmd->footer("Example:\n  vapidash show demo-client a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] { return run_client_command(options, [&] { run_show(options, *args); }); };
  });
}

}  // namespace vapidash::cli
