#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/scenario_files.hpp"
#include "vapidash/error.hpp"

namespace vapidash::cli {

namespace {

struct ScenarioArgs {
  std::vector<std::string> paths;
  std::vector<std::string> vars;
};

json problems_json(const invalid_scenario& invalid) {
  json problems = json::array();
  for (const auto& problem : invalid.problems())
    problems.push_back(json{{"pointer", problem.pointer}, {"message", problem.message}});
  return problems;
}

// Every file is checked, valid or not, so one run lists every problem.
int validate(const ClientOptions& options, const ScenarioArgs& args) {
  const Output out(options);
  const auto inputs = scenario_inputs(args.vars);
  json report = json::array();
  int invalid = 0;
  for (const auto& file : scenario_files(args.paths)) {
    try {
      load_scenario(file, inputs);
      report.push_back(json{{"file", file}, {"valid", true}, {"problems", json::array()}});
      if (!options.json && !options.quiet) out.line("ok " + file);
    } catch (const invalid_scenario& e) {
      ++invalid;
      report.push_back(json{{"file", file}, {"valid", false}, {"problems", problems_json(e)}});
      if (!options.json) std::fprintf(stderr, "%s\n", e.what());
    }
  }
  if (options.json) out.json_document(report);
  return invalid > 0 ? exit_usage : exit_ok;
}

int list(const ClientOptions& options, const ScenarioArgs& args) {
  const Output out(options);
  const auto scenarios = load_scenarios(scenario_files(args.paths), scenario_inputs(args.vars));
  if (options.json) {
    json rows = json::array();
    for (const auto& s : scenarios)
      rows.push_back(
          json{{"file", s.file}, {"name", s.name}, {"tags", s.tags}, {"description", s.description}});
    out.json_document(rows);
    return exit_ok;
  }
  if (options.quiet) {
    for (const auto& s : scenarios) out.line(s.file);
    return exit_ok;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : scenarios) {
    std::string tags;
    for (const auto& tag : s.tags) tags += (tags.empty() ? "" : ",") + tag;
    rows.push_back({s.file, s.name, tags, s.description});
  }
  out.table({"FILE", "NAME", "TAGS", "DESCRIPTION"}, rows);
  return exit_ok;
}

}  // namespace

void register_scenario(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<ScenarioArgs>();
  auto* cmd = app.add_subcommand("scenario", "Check and list replay scenario files without running them");
  cmd->require_subcommand(1);
  auto* validate_cmd = cmd->add_subcommand(
      "validate", "Check scenario files: every problem with its file, JSON pointer and what was expected");
  auto* list_cmd = cmd->add_subcommand("list", "List scenarios: file, name, tags, description");
  for (auto* sub : {validate_cmd, list_cmd}) {
    sub->add_option("paths", args->paths, "Scenario files, or directories of them")->required();
    sub->add_option("--var", args->vars, "A variable as replay --var would set it: NAME=VALUE");
  }
  cmd->footer(
      "Exit codes: 0 every file is valid; 2 a file is invalid (each problem is printed) or a usage error.\n"
      "Examples:\n"
      "  vapidash scenario validate scenarios/*.json\n"
      "  vapidash scenario list scenarios/\n"
      "  vapidash scenario validate my-incident.json --json | jq '.[].problems'");
  validate_cmd->callback([&options, args, &selected] {
    selected = [&options, args] {
      return run_client_command_with_code(options, [&] { return validate(options, *args); });
    };
  });
  list_cmd->callback([&options, args, &selected] {
    selected = [&options, args] {
      return run_client_command_with_code(options, [&] { return list(options, *args); });
    };
  });
}

}  // namespace vapidash::cli
