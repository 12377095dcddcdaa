#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace vapidash {

struct Scenario;

// One thing said on a call: VAPI's transcript roles, "user" (the customer) or "assistant".
struct Turn {
  std::string role;
  std::string text;
};

// What a simulated call says and how it ends when nobody intervenes.
struct CallPlan {
  std::vector<Turn> turns;
  std::string ended_reason = "customer-ended-call";
  std::optional<std::string> summary;          // the report's analysis.summary; generated when absent
  std::optional<std::string> customer_number;  // else one per call, +1415555 01xx
};

// A short dental-office booking, the conversation of every call without --scenario.
CallPlan default_call_plan();

// The plan a scenario's webhook steps describe (groups included, in order, chaos ignored): each final
// `transcript` is a turn (its role, "bot" read as assistant, and text); a `status-update` `ended` or an
// `end-of-call-report` gives the ended reason, the report's summary (analysis.summary, else summary) is the
// summary, and the first customer.number (message or call) is the caller's number. Every other step (other
// message types, partial lines, expectations, debug calls, sleeps) is not part of the plan: the simulator
// makes the call's other messages itself and times them by the call length. Throws invalid_input when the
// scenario has no final transcript line.
CallPlan call_plan_from_scenario(const Scenario& scenario);

// What a call does at a moment of its script.
enum class ScriptAction {
  ring,                 // status-update ringing
  answer,               // status-update in-progress: the audio starts
  speech_started,       // speech-update started, by the turn's role
  partial_line,         // transcript partial: the first `words` words of the turn
  final_line,           // transcript final
  speech_stopped,       // speech-update stopped
  conversation_update,  // conversation-update with every line so far
  hang_up,              // status-update ended, then the end-of-call report (the plan's ended reason)
};

struct ScriptStep {
  std::chrono::milliseconds at{0};  // from the call's start
  ScriptAction action = ScriptAction::ring;
  std::size_t turn = 0;   // the turn spoken, for the speech and transcript steps
  std::size_t words = 0;  // partial_line: how many words of the turn
};

// A call's timeline: it rings at 0, answers after a tenth of the length (at most 3 s), then gives each turn
// an equal slot until it hangs up at `length`. Steps are in time order; hang_up is last.
struct CallScript {
  std::vector<ScriptStep> steps;
  std::chrono::milliseconds answer_at{0};
  std::chrono::milliseconds conversation_period{0};  // from answer_at to hang_up: what --hold repeats
};

// Throws invalid_input when the plan has no turns or the length leaves less than 10 ms per turn step.
CallScript build_call_script(const CallPlan& plan, std::chrono::milliseconds length);

// The steps of the conversation (between answer and hang-up), for a call held past its script, which keeps
// talking: repeat them shifted by conversation_period per round.
std::vector<ScriptStep> conversation_steps(const CallScript& script);

}  // namespace vapidash
