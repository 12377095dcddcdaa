#include "vapidash/simulate/call_script.hpp"

#include <algorithm>
#include <sstream>

#include "vapidash/error.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/scenario/scenario.hpp"
#include "vapidash/scenario/step_request.hpp"
#include "vapidash/scenario/template.hpp"

namespace vapidash {

namespace {

using std::chrono::milliseconds;

std::size_t word_count(const std::string& text) {
  std::istringstream in(text);
  std::size_t count = 0;
  for (std::string word; in >> word;) ++count;
  return count;
}

// Where a turn's steps fall in its slot, as fractions of the slot: the speaker starts, the transcriber's
// partial lines grow, the final line lands, the speaker stops, and the conversation is updated.
void add_turn(std::vector<ScriptStep>& steps, std::size_t turn, std::size_t words, milliseconds start,
              milliseconds slot) {
  const auto at = [&](double fraction) {
    return start + milliseconds(static_cast<std::int64_t>(static_cast<double>(slot.count()) * fraction));
  };
  steps.push_back({at(0.05), ScriptAction::speech_started, turn, 0});
  const auto first_partial = std::max<std::size_t>(1, words / 3);
  steps.push_back({at(0.25), ScriptAction::partial_line, turn, first_partial});
  if (words >= 3 && words * 2 / 3 > first_partial) {
    steps.push_back({at(0.45), ScriptAction::partial_line, turn, words * 2 / 3});
  }
  steps.push_back({at(0.6), ScriptAction::final_line, turn, words});
  steps.push_back({at(0.65), ScriptAction::speech_stopped, turn, 0});
  steps.push_back({at(0.7), ScriptAction::conversation_update, turn, 0});
}

std::string role_of(const json& message) {
  const auto role = message.value("role", std::string("user"));
  return role == "bot" ? "assistant" : role;
}

const json* customer_number(const json& message) {
  for (const auto* path : {"customer.number", "call.customer.number"}) {
    const auto* number = json_at_path(message, path);
    if (number && number->is_string() && !number->get<std::string>().empty()) return number;
  }
  return nullptr;
}

void read_message(const json& message, CallPlan& plan) {
  const auto type = message.value("type", std::string());
  if (!plan.customer_number) {
    if (const auto* number = customer_number(message)) plan.customer_number = number->get<std::string>();
  }
  if (type == "transcript" && message.value("transcriptType", std::string("final")) == "final") {
    const auto text = message.value("transcript", std::string());
    if (!text.empty()) plan.turns.push_back({role_of(message), text});
  }
  const bool ends =
      type == "end-of-call-report" || (type == "status-update" && message.value("status", "") == "ended");
  if (ends && message.contains("endedReason") && message["endedReason"].is_string()) {
    plan.ended_reason = message["endedReason"].get<std::string>();
  }
  if (type == "end-of-call-report") {
    const auto* summary = json_at_path(message, "analysis.summary");
    if (!summary || !summary->is_string()) summary = json_at_path(message, "summary");
    if (summary && summary->is_string() && !summary->get<std::string>().empty()) {
      plan.summary = summary->get<std::string>();
    }
  }
}

void read_steps(const Scenario& scenario, const json& steps, const TemplateScope& scope, CallPlan& plan) {
  for (const auto& step : steps) {
    const auto action = step_action(step);
    if (action == "group") read_steps(scenario, step["group"]["steps"], scope, plan);
    if (action != "webhook") continue;
    const auto spec = expand_templates(step["webhook"], scope);
    read_message(webhook_envelope(scenario, spec, scope.call_id, now_utc())["message"], plan);
  }
}

}  // namespace

CallPlan default_call_plan() {
  CallPlan plan;
  plan.turns = {
      {"assistant",
       "Thanks for calling Lakeside Family Dental, this is the virtual receptionist. How can I help?"},
      {"user", "Hi, I'd like to move my cleaning to Friday morning."},
      {"assistant", "Of course. I have Friday at nine or at eleven thirty. Which would you like?"},
      {"user", "Nine works. Thank you, bye."},
  };
  return plan;
}

CallPlan call_plan_from_scenario(const Scenario& scenario) {
  TemplateScope scope;
  scope.call_id = "simulated-call";
  for (const auto& name : scenario.calls) scope.calls[name] = scope.call_id + "-" + name;
  scope.vars = scenario.vars;
  scope.env = scenario.env;
  CallPlan plan;
  plan.ended_reason.clear();
  read_steps(scenario, scenario.steps, scope, plan);
  if (plan.ended_reason.empty()) plan.ended_reason = CallPlan{}.ended_reason;
  if (plan.turns.empty()) {
    throw invalid_input("invalid_scenario", scenario.file +
                                                ": no final transcript line to speak; simulate takes a "
                                                "scenario's final `transcript` webhooks as the call's turns");
  }
  return plan;
}

CallScript build_call_script(const CallPlan& plan, std::chrono::milliseconds length) {
  if (plan.turns.empty()) throw invalid_input("invalid_argument", "a call needs at least one turn to speak");
  CallScript script;
  script.answer_at = std::min<milliseconds>(length / 10, std::chrono::seconds(3));
  script.conversation_period = length - script.answer_at;
  const auto slot = script.conversation_period / static_cast<std::int64_t>(plan.turns.size());
  if (slot < milliseconds(200)) {
    throw invalid_input("invalid_argument",
                        "--call-length is too short for " + std::to_string(plan.turns.size()) +
                            " turns: give each turn at least 200 ms (--call-length " +
                            std::to_string((plan.turns.size() * 200 * 10 + 8) / 9) + "ms or more)");
  }
  script.steps.push_back({milliseconds(0), ScriptAction::ring, 0, 0});
  script.steps.push_back({script.answer_at, ScriptAction::answer, 0, 0});
  for (std::size_t turn = 0; turn < plan.turns.size(); ++turn) {
    add_turn(script.steps, turn, word_count(plan.turns[turn].text),
             script.answer_at + slot * static_cast<std::int64_t>(turn), slot);
  }
  script.steps.push_back({length, ScriptAction::hang_up, 0, 0});
  return script;
}

std::vector<ScriptStep> conversation_steps(const CallScript& script) {
  std::vector<ScriptStep> steps;
  std::copy_if(script.steps.begin(), script.steps.end(), std::back_inserter(steps),
               [](const ScriptStep& step) {
                 return step.action != ScriptAction::ring && step.action != ScriptAction::answer &&
                        step.action != ScriptAction::hang_up;
               });
  return steps;
}

}  // namespace vapidash
