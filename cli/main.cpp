#include <CLI/CLI.hpp>

#include "cli/serve.hpp"

int main(int argc, char** argv) {
  CLI::App app{"vapidash — live inbound-call dashboard server for VAPI voice agents, and its test harness"};
  app.set_version_flag("--version", "vapidash " VAPIDASH_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'vapidash SUBCOMMAND --help' for a subcommand's options.");
  vapidash::cli::register_serve(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
