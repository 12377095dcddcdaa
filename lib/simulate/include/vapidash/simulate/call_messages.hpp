#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vapidash/model/timestamp.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

// A line spoken on a simulated call, as VAPI's conversation keeps it.
struct SpokenLine {
  std::string role;  // user, assistant, system
  std::string text;
  timestamp at;
};

// What VAPI knows of a call when it sends a message: its `call` snapshot and what the report sums up.
struct SimulatedCall {
  std::string id;
  std::string customer_number;
  std::string listen_url;
  std::string control_url;
  std::string status = "queued";  // a VAPI call status
  timestamp created_at;
  std::optional<timestamp> started_at;
  std::optional<timestamp> ended_at;
  std::vector<SpokenLine> lines;
};

// Each is a whole webhook body, {"message": {...}}, built by lib/client's webhook builder and completed with
// what VAPI sends: the call snapshot (with call.monitor's listenUrl and controlUrl), the customer, epoch-ms
// `timestamp` = now.
json status_update_message(const SimulatedCall& call, timestamp now);  // call.status; ended adds endedReason
json ended_status_message(const SimulatedCall& call, const std::string& ended_reason, timestamp now);
json forwarding_message(const SimulatedCall& call, const std::string& number, const std::string& content,
                        timestamp now);
json speech_update_message(const SimulatedCall& call, const std::string& role, bool started, timestamp now);
json transcript_message(const SimulatedCall& call, const std::string& role, const std::string& text,
                        bool final, timestamp now);
json conversation_update_message(const SimulatedCall& call, timestamp now);
// endedReason, startedAt, endedAt, durationSeconds, durationMs, cost, artifact (transcript, messages,
// recordingUrl, stereoRecordingUrl), analysis.summary (`summary`, else one made from the call).
json end_of_call_report_message(const SimulatedCall& call, const std::string& ended_reason,
                                const std::optional<std::string>& summary, timestamp now);

// "AI: ...\nUser: ..." as VAPI writes a transcript.
std::string transcript_text(const std::vector<SpokenLine>& lines);

// The first `words` words of `text`.
std::string first_words(const std::string& text, std::size_t words);

}  // namespace vapidash
