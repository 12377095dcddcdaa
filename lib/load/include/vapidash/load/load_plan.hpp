#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "vapidash/model/timestamp.hpp"
#include "vapidash/scenario/scenario.hpp"
#include "vapidash/scenario/step_request.hpp"
#include "vapidash/scenario/template.hpp"

namespace vapidash {

// Request text rendered once from a scenario step, with holes for what differs between virtual calls
// (their call ids) and between sends (the time, a fresh uuid). Rendering only copies, so sending is cheap.
class RequestTemplate {
 public:
  RequestTemplate() = default;
  // `text` as the plan renders it: the holes are the markers of marker() below.
  explicit RequestTemplate(std::string_view text);

  // Appends the text with every hole filled: call_ids[0] is ${call_id}, call_ids[1 + i] the i-th of `calls`.
  void render(std::string& out, const std::vector<std::string>& call_ids, timestamp now) const;
  std::size_t holes() const;

  enum class Hole { call, now_ms, now, uuid };
  // What the plan writes where a hole goes; `call` numbers a call id as in render().
  static std::string marker(Hole hole, std::size_t call = 0);

 private:
  struct Part {
    std::string text;  // the literal text before the hole
    std::optional<Hole> hole;
    std::size_t call = 0;
  };
  std::vector<Part> parts_;
};

// A sending step made ready to send many times.
struct LoadSend {
  std::string label;   // its place in the scenario: "3", or "5.2" inside a group
  std::string action;  // webhook, debug_call or log_event
  RequestTemplate target;
  RequestTemplate body;
  HeaderList headers;                      // the same on every send: the token, an x-vapi-secret
  std::optional<std::string> hmac_secret;  // a webhook signed anew on every send
  int expected_status = 200;
};

// What a virtual call does next: wait `pause`, then send `send` (none: the step was a sleep).
struct LoadAction {
  const LoadSend* send = nullptr;
  std::chrono::milliseconds pause{0};
};

// A scenario made into something that runs thousands of times: its sends as templates, its sleeps, and the
// chaos of its groups. Expectations (expect_ws, expect_call, expect_timeline, and the body of an `expect`)
// are replay's checks; load measures instead, and checks only each answer's status.
class LoadPlan {
 public:
  // Throws invalid_input("load_unsupported") for a step that uses the answer of an earlier step
  // (${STEP:path}): every send is rendered before the run.
  LoadPlan(const Scenario& scenario, const Credentials& credentials);
  LoadPlan(const LoadPlan&) = delete;
  LoadPlan& operator=(const LoadPlan&) = delete;

  // A virtual call's actions, in order; chaos (copies, shuffles, jitter) drawn from `random`.
  std::vector<LoadAction> actions(std::mt19937_64& random) const;
  // The call ids of virtual call `index` of run `run_id`, as render() takes them.
  std::vector<std::string> call_ids(const std::string& run_id, std::uint64_t index) const;

  const Scenario& scenario() const { return scenario_; }
  const std::string& client() const { return client_; }
  const std::vector<LoadSend>& sends() const { return sends_; }
  std::size_t skipped_expectations() const { return skipped_expectations_; }

 private:
  struct Entry {
    std::size_t send = 0;  // into sends_, when not a sleep
    bool sleep = false;
    std::chrono::milliseconds pause{0};
  };
  struct Stage {
    std::vector<Entry> entries;
    int copies = 1;
    bool reorder = false;
    int jitter_ms = 0;
  };

  void add_steps(const json& steps, const std::string& prefix);
  void add_step(const json& step, const std::string& label);
  LoadSend compile_send(const json& step, const std::string& label, const std::string& action) const;

  const Scenario& scenario_;
  Credentials credentials_;
  TemplateScope scope_;
  std::string client_;
  std::vector<LoadSend> sends_;
  std::vector<Stage> stages_;
  std::size_t skipped_expectations_ = 0;
};

}  // namespace vapidash
