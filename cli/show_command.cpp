#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/timeline.hpp"

namespace vapidash::cli {

namespace {
struct ShowArgs {
  std::string client;
  std::string call;
};

std::string text_of(const json& detail, const char* key) {
  const auto& value = detail.at(key);
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return dump_json(value);
}

void print_fields(const Output& out, const json& detail) {
  const std::vector<std::pair<const char*, const char*>> fields = {{"status", "status"},
                                                                   {"phone", "phone_number"},
                                                                   {"started", "started_at"},
                                                                   {"ended", "ended_at"},
                                                                   {"ended reason", "ended_reason"},
                                                                   {"cost", "cost"},
                                                                   {"listen", "listen_url"},
                                                                   {"control", "control_url"},
                                                                   {"recording", "recording_url"},
                                                                   {"stereo", "stereo_recording_url"},
                                                                   {"created", "created_at"},
                                                                   {"updated", "updated_at"}};
  out.line(out.bold("call " + detail.at("id").get<std::string>()) + "  " + out.dim(detail.at("client_id")));
  for (const auto& [label, key] : fields) {
    const auto value = key == std::string("status") ? out.status(text_of(detail, key)) : text_of(detail, key);
    out.line("  " + std::string(label) + std::string(14 - std::string(label).size(), ' ') + value);
  }
  const auto& duration = detail.at("duration_seconds");
  out.line("  duration      " + (duration.is_number() ? format_seconds(duration.get<double>()) : "-"));
}

void print_transcript(const Output& out, const json& detail) {
  if (!detail.at("summary").is_null())
    out.line("\n" + out.bold("summary") + "\n  " + text_of(detail, "summary"));
  const auto& lines = detail.at("transcript");
  if (lines.empty()) return;
  out.line("\n" + out.bold("transcript"));
  for (const auto& line : lines) {
    const auto at = line.at("at").is_string() ? line.at("at").get<std::string>().substr(11, 8) + "  " : "";
    const auto role = line.at("role").get<std::string>();
    out.line("  " + out.dim(at) + (role == "user" ? out.bold("user") : role) + ": " +
             line.at("text").get<std::string>());
  }
}

void run_show(const ClientOptions& options, const ShowArgs& args) {
  const auto detail = make_api_client(options).call_detail(args.client, args.call);
  const Output out(options);
  if (options.json) return out.json_document(detail);
  if (options.quiet) return out.line(detail.at("status").get<std::string>());
  print_fields(out, detail);
  print_transcript(out, detail);
}
}  // namespace

void register_show(CLI::App& app, const ClientOptions& options) {
  auto args = std::make_shared<ShowArgs>();
  auto* cmd =
      app.add_subcommand("show", "One call in full: fields, summary, and its transcript as a conversation");
  cmd->add_option("client", args->client, "Tenant (client_id)")->required();
  cmd->add_option("call", args->call, "Call id")->required();
  cmd->footer("Example:\n  vapidash show demo-client a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71");
  cmd->callback([&options, args] { run_client_command(options, [&] { run_show(options, *args); }); });
}

}  // namespace vapidash::cli
