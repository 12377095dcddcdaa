#include "cli/scenario_files.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "vapidash/error.hpp"

namespace vapidash::cli {

namespace {

namespace fs = std::filesystem;

bool declares_a_scenario(const fs::path& file) {
  std::ifstream in(file);
  const auto root = json::parse(in, nullptr, false);
  return root.is_object() && root.contains("vapidash_scenario");
}

std::vector<std::string> scenarios_in(const fs::path& directory) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json" && declares_a_scenario(entry.path()))
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    throw invalid_input("no_scenarios", directory.string() +
                                            " holds no scenario: no *.json file in it declares "
                                            "\"vapidash_scenario\"");
  }
  return files;
}

}  // namespace

std::vector<std::string> scenario_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      const auto found = scenarios_in(path);
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      throw invalid_input("no_scenarios", "no such file or directory: " + path);
    }
  }
  return files;
}

std::vector<Scenario> load_scenarios(const std::vector<std::string>& files, const ScenarioInputs& inputs) {
  std::vector<Scenario> scenarios;
  std::string problems;
  int invalid = 0;
  for (const auto& file : files) {
    try {
      scenarios.push_back(load_scenario(file, inputs));
    } catch (const invalid_input& e) {
      problems += std::string(problems.empty() ? "" : "\n") + e.what();
      ++invalid;
    }
  }
  if (invalid > 0) {
    throw invalid_input("invalid_scenario", problems + "\n" + std::to_string(invalid) + " of " +
                                                std::to_string(files.size()) + " scenario files are invalid");
  }
  return scenarios;
}

std::map<std::string, std::string> parse_vars(const std::vector<std::string>& assignments) {
  std::map<std::string, std::string> vars;
  for (const auto& assignment : assignments) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0)
      throw invalid_input("invalid_var", "--var " + assignment + ": expected NAME=VALUE");
    vars[assignment.substr(0, equals)] = assignment.substr(equals + 1);
  }
  return vars;
}

ScenarioInputs scenario_inputs(const std::vector<std::string>& var_assignments) {
  return ScenarioInputs{parse_vars(var_assignments),
                        [](const std::string& name) -> std::optional<std::string> {
                          const char* value = std::getenv(name.c_str());
                          return value ? std::optional<std::string>(value) : std::nullopt;
                        }};
}

}  // namespace vapidash::cli
