#include <CLI/CLI.hpp>

#include "cli/serve.hpp"

namespace {
// Exit codes shared by every subcommand; documented in --help and the README.
constexpr int exit_usage = 2;
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vapidash — live inbound-call dashboard server for VAPI voice agents, and its test harness"};
  app.set_version_flag("--version", "vapidash " VAPIDASH_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Run 'vapidash SUBCOMMAND --help' for a subcommand's options.\n"
      "Exit codes: 0 ok, 1 failed (the error is printed), 2 usage error.");
  vapidash::cli::register_serve(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : exit_usage;
  }
  return 0;
}
