#include "vapidash/store/announcement.hpp"

#include "vapidash/error.hpp"
#include "vapidash/wire/call_json.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

namespace {

json transcript_json(const LiveTranscript& live) {
  return json{{"line", live.line}, {"final", live.final}, {"finals", live.finals}};
}

LiveTranscript transcript_from(const json& in) {
  LiveTranscript live;
  in.at("line").get_to(live.line);
  in.at("final").get_to(live.final);
  in.at("finals").get_to(live.finals);
  return live;
}

// Only what dashboards hear of an outcome: the call row, whether it changed, its timeline entry, its line.
CallUpdateOutcome outcome_from(const json& in) {
  CallUpdateOutcome outcome;
  in.at("call").get_to(outcome.call);
  in.at("changed").get_to(outcome.changed);
  if (in.contains("event")) outcome.event = in.at("event").get<StatusEvent>();
  if (in.contains("transcript")) outcome.transcript = transcript_from(in.at("transcript"));
  return outcome;
}

}  // namespace

std::string announce_call_change(const CallUpdateOutcome& outcome, const std::string& cause) {
  json message{{"kind", "call"}, {"cause", cause}, {"changed", outcome.changed}, {"call", outcome.call}};
  if (outcome.event) message["event"] = *outcome.event;
  if (outcome.transcript) message["transcript"] = transcript_json(*outcome.transcript);
  return dump_json(message);
}

std::string announce_event(const StatusEvent& event) {
  return dump_json(json{{"kind", "event"}, {"event", event}});
}

std::string announce_reference(std::int64_t id) {
  return dump_json(json{{"kind", "reference"}, {"id", id}});
}

std::optional<std::int64_t> tell_announcement(const std::string& text, ChangeSink& sink) {
  try {
    const auto message = json::parse(text);
    const auto kind = message.at("kind").get<std::string>();
    if (kind == "reference") return message.at("id").get<std::int64_t>();
    if (kind == "event") {
      sink.event_logged(message.at("event").get<StatusEvent>());
    } else if (kind == "call") {
      sink.call_changed(outcome_from(message), message.at("cause").get<std::string>());
    } else {
      throw store_error("an announcement of an unknown kind: " + kind);
    }
  } catch (const json::exception& e) {
    throw store_error(std::string("an announcement that cannot be read: ") + e.what());
  }
  return std::nullopt;
}

}  // namespace vapidash
