#include <cstdio>

#include "cli/commands.hpp"

namespace vapidash::cli {

namespace {
std::string flags_of(const CLI::App& app) {
  std::string flags;
  for (const auto* option : app.get_options()) {
    for (const auto& name : option->get_lnames()) flags += " --" + name;
    for (const auto& name : option->get_snames()) flags += " -" + name;
  }
  return flags;
}
}  // namespace

// Prints the command tree, one line per command: its name, then every flag it takes. The completion scripts
// are checked against this, so they cannot drift from the real commands.
void register_commands(CLI::App& app, SelectedCommand& selected) {
  auto* cmd = app.add_subcommand("commands", "List every subcommand and its flags (for completion scripts)");
  cmd->group("");  // hidden from --help
  cmd->callback([&app, &selected] {
    selected = [&app] {
      std::printf("vapidash%s\n", flags_of(app).c_str());
      for (const auto* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
        std::printf("%s%s\n", sub->get_name().c_str(), flags_of(*sub).c_str());
      }
      return 0;
    };
  });
}

}  // namespace vapidash::cli
