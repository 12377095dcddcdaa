#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vapidash/error.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

// One thing wrong with a scenario file: where (a JSON pointer) and what was expected there.
struct ScenarioProblem {
  std::string pointer;
  std::string message;
};

// A scenario file that cannot run: every problem found, each naming the file and the JSON pointer.
class invalid_scenario : public invalid_input {
 public:
  invalid_scenario(std::string file, std::vector<ScenarioProblem> problems);
  const std::string& file() const noexcept { return file_; }
  const std::vector<ScenarioProblem>& problems() const noexcept { return problems_; }

 private:
  std::string file_;
  std::vector<ScenarioProblem> problems_;
};

// A dashboard feed a scenario opens before its first step.
struct FeedSpec {
  std::string name;
  json client;  // a tenant (may hold references), or null for every tenant's feed
  std::optional<std::string> token;
  bool events = false;
};

// A validated scenario file (format version 1, scenarios/README.md). Steps stay JSON: they are expanded
// (${...}) only when they run, since they may use answers of earlier steps.
struct Scenario {
  std::string file;       // as given on the command line
  std::string directory;  // where `file` and `tenants_file` references are relative to
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  json client;
  std::map<std::string, json> vars;
  std::vector<std::string> calls;
  std::vector<FeedSpec> feeds;
  std::optional<std::string> tenants_file;  // resolved against `directory`
  json chaos = json::object();
  json steps;
  std::map<std::string, json> payloads;  // webhook steps' "file"s, read at load, by the path as written
  std::function<std::optional<std::string>(const std::string&)> env;  // what ${env:NAME} reads

  bool tagged(const std::string& tag) const;
};

// How a scenario is loaded: --var overrides and the environment that ${env:NAME} reads.
struct ScenarioInputs {
  std::map<std::string, std::string> vars;
  std::function<std::optional<std::string>(const std::string&)> env;
};

// Reads, parses and validates a scenario file; a reference that cannot resolve is a problem like any other.
// Throws invalid_scenario listing every problem, or invalid_input when the file cannot be read.
Scenario load_scenario(const std::string& file, const ScenarioInputs& inputs);

// The steps that send a request, and may carry an `expect` on its answer.
bool is_sending_action(const std::string& action);

// The one action key of a valid step ("webhook", "expect_ws", ...).
std::string step_action(const json& step);

}  // namespace vapidash
