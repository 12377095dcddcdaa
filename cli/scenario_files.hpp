#pragma once

#include <string>
#include <vector>

#include "vapidash/scenario/scenario.hpp"

namespace vapidash::cli {

// The scenario files named on the command line: a file as given, a directory's *.json files that declare
// "vapidash_scenario" (so payloads and schema.json beside them are not taken for scenarios), sorted. Throws
// invalid_input for a path that does not exist or a directory without scenarios.
std::vector<std::string> scenario_files(const std::vector<std::string>& paths);

// Loads every file, collecting every invalid one; throws invalid_input listing them all when any is invalid.
std::vector<Scenario> load_scenarios(const std::vector<std::string>& files, const ScenarioInputs& inputs);

// --var k=v pairs; throws invalid_input for one without "=".
std::map<std::string, std::string> parse_vars(const std::vector<std::string>& assignments);

// ${env:NAME} reads the process's environment.
ScenarioInputs scenario_inputs(const std::vector<std::string>& var_assignments);

}  // namespace vapidash::cli
