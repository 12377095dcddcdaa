#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "vapidash/model/call.hpp"
#include "vapidash/model/status_event.hpp"

namespace vapidash {

// Debug updates overwrite; webhook updates follow VAPI's rules: status only moves forward, started_at and
// ended_at default to the server's time at in-progress and ended, and an end-of-call report's data wins.
// Annotations change only what a supervisor wrote (notes, disposition, tags) on a call that exists.
enum class UpdateSource { debug, webhook, annotation };

// What a supervisor writes on a call (PATCH /api/{client_id}/calls/{call_id}); absent fields keep their
// values, an empty one clears.
struct CallAnnotations {
  std::optional<std::string> notes;
  std::optional<std::string> disposition;
  std::optional<std::vector<std::string>> tags;
};

// A live transcript line as dashboards hear it: final lines are stored, partial ones only passed on.
struct LiveTranscript {
  TranscriptLine line;
  bool final = false;
  std::vector<TranscriptLine> finals;  // every final line of the call so far, this one included when final
};

// What an end-of-call report says about the call.
struct CallReport {
  std::optional<std::string> ended_reason;
  std::optional<std::string> summary;
  std::optional<std::string> transcript_text;
  std::vector<TranscriptLine> messages;
  std::optional<std::string> recording_url;
  std::optional<std::string> stereo_recording_url;
  std::optional<double> cost;
  std::optional<double> duration_seconds;
};

// A change to one call, as handlers submit it to the store. Absent fields keep their stored values;
// a new call takes the docs/api.md defaults.
struct CallUpdate {
  std::string client_id;
  std::string call_id;  // empty: the store generates "debug-{unix seconds}[-n]", unique within the tenant
  UpdateSource source = UpdateSource::debug;
  std::string cause = "debug";  // what dashboards are told changed the call (call-upsert's "cause")
  std::optional<std::string> status;
  std::optional<std::string> phone_number;
  nlohmann::ordered_json event_payload = nlohmann::ordered_json::object();  // as the timeline keeps it
  PayloadForm event_payload_form = PayloadForm::full;

  // Webhook fields.
  std::optional<std::string> message_type;    // the VAPI message's type
  std::optional<std::string> event_status;    // the timeline entry's status when it is not the call's
  std::optional<std::string> initial_status;  // for a call this update creates without a status
  std::optional<std::string> listen_url;
  std::optional<std::string> control_url;
  std::optional<std::string> started_at;
  std::optional<std::string> ended_at;
  std::optional<std::string> ended_reason;
  std::optional<double> cost;
  std::optional<CallReport> report;
  std::optional<TranscriptLine> transcript_line;  // a final line: stored
  std::optional<TranscriptLine> partial_line;     // a line still being spoken: passed on, never stored
  std::optional<CallAnnotations> annotations;     // UpdateSource::annotation
  std::optional<std::string> dedupe_key;          // a delivery already stored under this key is a duplicate
  // Only the timeline entry, on a call that already exists: the message may not create or change a call.
  bool timeline_only = false;
};

// What the store did with a CallUpdate.
struct CallUpdateOutcome {
  Call call;                  // the row as committed
  bool updated = false;       // the call existed before
  bool changed = false;       // the row or its transcript changed: dashboards must hear of it
  bool duplicate = false;     // a re-delivery: nothing was stored
  bool call_missing = false;  // a timeline_only or annotation update for a call that does not exist
  std::int64_t status_event_id = 0;
  std::optional<StatusEvent> event;          // the timeline entry the update logged; none for a re-delivery
  std::optional<LiveTranscript> transcript;  // the update carried a transcript line, final or partial
};

// A timeline entry to log without touching the call row.
struct EventRecord {
  std::string client_id;
  std::string call_id;
  std::string status;
  nlohmann::ordered_json payload = nlohmann::ordered_json::object();
  PayloadForm payload_form = PayloadForm::full;
  std::optional<std::string> message_type;  // a VAPI message's type; none for a debug entry
};

inline constexpr const char* default_phone_number = "+15555550123";
inline constexpr const char* default_status = "in-progress";

}  // namespace vapidash
