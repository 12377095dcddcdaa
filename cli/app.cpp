#include <CLI/CLI.hpp>

#include "cli/client_options.hpp"
#include "cli/commands.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/spelling.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace vapidash::cli {

namespace {

std::vector<std::string> visible_commands(CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* command : app.get_subcommands([](CLI::App* sub) { return !sub->get_group().empty(); })) {
    names.push_back(command->get_name());
  }
  return names;
}

// CLI11 only says "A subcommand is required" when the first word is not a command: name it instead.
std::optional<std::string> unknown_command(CLI::App& app) {
  if (!app.get_subcommands().empty()) return std::nullopt;
  for (const auto& word : app.remaining()) {
    if (!word.empty() && word.front() != '-') return word;
  }
  return std::nullopt;
}

}  // namespace

int run(int argc, const char* const* argv) {
  CLI::App app{"vapidash — live inbound-call dashboard server for VAPI voice agents, and its test harness"};
  app.set_version_flag("--version", "vapidash " VAPIDASH_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // client options work before or after the subcommand
  app.footer(
      "Run 'vapidash SUBCOMMAND --help' for a subcommand's options and examples.\n"
      "Client commands reach the server at --server, else VAPIDASH_SERVER, else " +
      default_server_url() +
      ".\n"
      "  https://HOST verifies the certificate against the system's CAs (or --cacert FILE) and the host "
      "name;\n"
      "  a path (https://HOST/vapidash) is the prefix a reverse proxy serves the API and the feed under.\n"
      "Exit codes: 0 ok; 1 the server said no (its error is shown) or serve failed to start;\n"
      "            2 usage error; 3 cannot reach the server, or its TLS certificate is refused.");
  ClientOptions client_options;
  SelectedCommand selected;
  add_client_options(app, client_options);
  register_serve(app, selected);
  register_call(app, client_options, selected);
  register_event(app, client_options, selected);
  register_webhook(app, client_options, selected);
  register_calls(app, client_options, selected);
  register_show(app, client_options, selected);
  register_timeline(app, client_options, selected);
  register_tail(app, client_options, selected);
  register_control(app, client_options, selected);
  register_listen(app, client_options, selected);
  register_replay(app, client_options, selected);
  register_load(app, client_options, selected);
  register_simulate(app, client_options, selected);
  register_scenario(app, client_options, selected);
  register_db(app, client_options, selected);
  register_commands(app, selected);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (const auto word = unknown_command(app)) {
      std::fprintf(stderr, "vapidash: %s\nRun 'vapidash --help' for what each command does.\n",
                   unknown_word_message("command", *word, visible_commands(app)).c_str());
      return exit_usage;
    }
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }
  return selected ? selected() : exit_ok;
}

}  // namespace vapidash::cli
