#include "vapidash/simulate/call_messages.hpp"

#include <cmath>
#include <sstream>

#include "vapidash/client/webhook_builder.hpp"

namespace vapidash {

namespace {

// VAPI's price is about five cents a minute.
constexpr double cost_per_second = 0.05 / 60;

std::int64_t epoch_ms(timestamp t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// VAPI writes ISO-8601 times in UTC with a Z.
std::string vapi_time(timestamp t) {
  return format_timestamp(t) + "Z";
}

json call_snapshot(const SimulatedCall& call) {
  json snapshot = {{"id", call.id},
                   {"type", "inboundPhoneCall"},
                   {"status", call.status},
                   {"phoneCallProvider", "vapidash-simulate"},
                   {"phoneCallTransport", "pstn"},
                   {"customer", {{"number", call.customer_number}}},
                   {"createdAt", vapi_time(call.created_at)},
                   {"monitor", {{"listenUrl", call.listen_url}, {"controlUrl", call.control_url}}}};
  if (call.started_at) snapshot["startedAt"] = vapi_time(*call.started_at);
  if (call.ended_at) snapshot["endedAt"] = vapi_time(*call.ended_at);
  return snapshot;
}

// The builder's smallest message of `type` for this call, with the call as VAPI describes it.
json message_of(const SimulatedCall& call, const std::string& type, timestamp now,
                std::optional<std::string> status = std::nullopt) {
  auto envelope = build_webhook(WebhookSpec{type, call.id, std::move(status), {}, std::nullopt}, now);
  auto& message = envelope["message"];
  message["call"] = call_snapshot(call);
  message["customer"] = {{"number", call.customer_number}};
  return envelope;
}

std::string vapi_role(const std::string& role) {
  return role == "assistant" ? "bot" : role;
}

double seconds_between(timestamp from, timestamp to) {
  return std::chrono::duration<double>(to - from).count();
}

json conversation_messages(const SimulatedCall& call) {
  json messages = json::array();
  const auto start = call.started_at.value_or(call.created_at);
  for (const auto& line : call.lines) {
    messages.push_back({{"role", vapi_role(line.role)},
                        {"message", line.text},
                        {"time", epoch_ms(line.at)},
                        {"secondsFromStart", std::round(seconds_between(start, line.at) * 1000) / 1000}});
  }
  return messages;
}

std::string generated_summary(const SimulatedCall& call, const std::string& ended_reason) {
  return "A simulated call of " + std::to_string(call.lines.size()) + " lines from " + call.customer_number +
         ", ended: " + ended_reason + ".";
}

std::string recording_url(const SimulatedCall& call, const char* kind) {
  return "https://recordings.vapidash-simulate.invalid/" + call.id + "-" + kind + ".wav";
}

}  // namespace

json status_update_message(const SimulatedCall& call, timestamp now) {
  return message_of(call, "status-update", now, call.status);
}

json ended_status_message(const SimulatedCall& call, const std::string& ended_reason, timestamp now) {
  auto envelope = message_of(call, "status-update", now, "ended");
  envelope["message"]["endedReason"] = ended_reason;
  return envelope;
}

json forwarding_message(const SimulatedCall& call, const std::string& number, const std::string& content,
                        timestamp now) {
  auto envelope = message_of(call, "status-update", now, "forwarding");
  envelope["message"]["destination"] = {{"type", "number"}, {"number", number}, {"message", content}};
  return envelope;
}

json speech_update_message(const SimulatedCall& call, const std::string& role, bool started, timestamp now) {
  auto envelope = message_of(call, "speech-update", now);
  envelope["message"]["status"] = started ? "started" : "stopped";
  envelope["message"]["role"] = role;
  return envelope;
}

json transcript_message(const SimulatedCall& call, const std::string& role, const std::string& text,
                        bool final, timestamp now) {
  auto envelope = message_of(call, "transcript", now);
  auto& message = envelope["message"];
  message["role"] = role;
  message["transcriptType"] = final ? "final" : "partial";
  message["transcript"] = text;
  return envelope;
}

json conversation_update_message(const SimulatedCall& call, timestamp now) {
  auto envelope = message_of(call, "conversation-update", now);
  auto& message = envelope["message"];
  message["messages"] = conversation_messages(call);
  message["conversation"] = json::array();
  for (const auto& line : call.lines)
    message["conversation"].push_back({{"role", line.role}, {"content", line.text}});
  return envelope;
}

json end_of_call_report_message(const SimulatedCall& call, const std::string& ended_reason,
                                const std::optional<std::string>& summary, timestamp now) {
  auto envelope = message_of(call, "end-of-call-report", now);
  auto& message = envelope["message"];
  const auto ended = call.ended_at.value_or(now);
  const double duration = call.started_at ? seconds_between(*call.started_at, ended) : 0;
  message["endedReason"] = ended_reason;
  if (call.started_at) message["startedAt"] = vapi_time(*call.started_at);
  message["endedAt"] = vapi_time(ended);
  message["durationSeconds"] = std::round(duration * 1000) / 1000;
  message["durationMs"] = std::llround(duration * 1000);
  message["cost"] = std::round(duration * cost_per_second * 10000) / 10000;
  message["artifact"] = {{"transcript", transcript_text(call.lines)},
                         {"messages", conversation_messages(call)},
                         {"recordingUrl", recording_url(call, "mono")},
                         {"stereoRecordingUrl", recording_url(call, "stereo")}};
  message["analysis"] = {{"summary", summary.value_or(generated_summary(call, ended_reason))}};
  return envelope;
}

std::string transcript_text(const std::vector<SpokenLine>& lines) {
  std::string text;
  for (const auto& line : lines) {
    if (!text.empty()) text += "\n";
    const auto speaker = line.role == "assistant" ? std::string("AI")
                         : line.role == "user"    ? std::string("User")
                                                  : std::string("System");
    text += speaker + ": " + line.text;
  }
  return text;
}

std::string first_words(const std::string& text, std::size_t words) {
  std::istringstream in(text);
  std::string out;
  std::string word;
  for (std::size_t i = 0; i < words && in >> word; ++i) out += (out.empty() ? "" : " ") + word;
  return out;
}

}  // namespace vapidash
