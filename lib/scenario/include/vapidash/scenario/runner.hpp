#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vapidash/client/http_client.hpp"
#include "vapidash/scenario/json_subset.hpp"
#include "vapidash/scenario/scenario.hpp"
#include "vapidash/scenario/step_request.hpp"

namespace vapidash {

// How a scenario runs: where, with which credentials, and the knobs of `vapidash replay`.
struct RunOptions {
  ServerUrl server;
  TlsOptions tls;
  std::chrono::milliseconds timeout{10000};  // each HTTP request
  Credentials credentials;
  std::uint64_t seed = 1;  // chaos: the same seed replays the same order and copies
  double speed = 1.0;      // sleeps, jitter and `none` windows last 1/speed as long
  std::string run_id;      // makes this run's call ids its own; empty: a fresh one per run
};

// A step as it finished: its place ("3", or "5.2" inside a group), name and action.
struct StepReport {
  std::string label;
  std::string name;
  std::string action;
  bool passed = true;
  std::chrono::microseconds took{0};
};

// Why a scenario failed, with what it takes to understand it without re-running.
struct Failure {
  std::string step;     // "step 3 (ring the phone)"
  std::string message;  // what was expected, in a sentence
  std::vector<Mismatch> mismatches;
  std::optional<json> actual;          // the whole value the expectation was checked against
  std::vector<std::string> feed_tail;  // the last messages of the feed involved (or of every feed)
  std::string curl;                    // re-sends the failing request, or reads what was checked
};

struct ScenarioResult {
  std::string file;
  std::string name;
  std::uint64_t seed = 0;
  std::vector<StepReport> steps;
  std::optional<Failure> failure;
  std::chrono::milliseconds took{0};
  std::chrono::microseconds waited{0};   // in sleeps, windows and waits for the feed or a poll
  std::chrono::microseconds sending{0};  // in HTTP requests

  bool passed() const { return !failure; }
};

using StepObserver = std::function<void(const StepReport&)>;

// Runs every step in order and stops at the first that fails. Throws connection_error when the server
// cannot be reached, invalid_input when a reference cannot resolve at run time.
ScenarioResult run_scenario(const Scenario& scenario, const RunOptions& options,
                            const StepObserver& on_step = {});

// A shell-quoted curl command that sends the same request.
std::string curl_command(const std::string& method, const std::string& url, const HeaderList& headers,
                         const std::string& body);

}  // namespace vapidash
