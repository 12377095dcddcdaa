#include <CLI/CLI.hpp>

#include "cli/client_options.hpp"
#include "cli/commands.hpp"
#include "vapidash/net/endpoint.hpp"

namespace vapidash::cli {

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
  register_commands(app, selected);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }
  return selected ? selected() : exit_ok;
}

}  // namespace vapidash::cli
