#include <CLI/CLI.hpp>

#include "cli/client_options.hpp"
#include "cli/commands.hpp"
#include "cli/serve.hpp"

int main(int argc, char** argv) {
  using namespace vapidash::cli;
  CLI::App app{"vapidash — live inbound-call dashboard server for VAPI voice agents, and its test harness"};
  app.set_version_flag("--version", "vapidash " VAPIDASH_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // client options work before or after the subcommand
  app.footer(
      "Run 'vapidash SUBCOMMAND --help' for a subcommand's options and examples.\n"
      "Client commands reach the server at --server, else VAPIDASH_SERVER, else http://127.0.0.1:8000.\n"
      "Exit codes: 0 ok; 1 the server said no (its error is shown) or serve failed to start;\n"
      "            2 usage error; 3 cannot reach the server.");
  ClientOptions client_options;
  add_client_options(app, client_options);
  register_serve(app);
  register_call(app, client_options);
  register_event(app, client_options);
  register_webhook(app, client_options);
  register_calls(app, client_options);
  register_show(app, client_options);
  register_timeline(app, client_options);
  register_tail(app, client_options);
  register_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }
  return exit_ok;
}
