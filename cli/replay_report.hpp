#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cli/output.hpp"
#include "vapidash/scenario/runner.hpp"

namespace vapidash::cli {

// What a whole `vapidash replay` did.
struct ReplaySummary {
  std::vector<ScenarioResult> results;  // in the order they finished
  std::vector<std::string> skipped;     // files left out by --tags / --skip-tags
  std::chrono::milliseconds took{0};

  int failed() const;
};

// A step as it finishes, for the progress on a terminal: "  ✓ 3 ring  webhook  4 ms".
std::string step_line(const Output& out, const StepReport& step);

// One line per scenario run: "PASS scenarios/happy.json  inbound happy path  812 ms".
std::string result_line(const Output& out, const ScenarioResult& result);

// Everything needed to understand a failure without re-running: the step, what was expected, each
// mismatch, the actual value, the feed's last messages, a curl command and how to replay with the seed.
std::string failure_text(const ScenarioResult& result);

// "12 passed, 1 failed, 2 skipped in 3.4 s (waiting 2.1 s, sending 0.4 s)".
std::string summary_line(const ReplaySummary& summary);

json summary_json(const ReplaySummary& summary);

// JUnit XML: one <testcase> per scenario run, a failure's text as on the terminal.
std::string junit_xml(const ReplaySummary& summary);

}  // namespace vapidash::cli
