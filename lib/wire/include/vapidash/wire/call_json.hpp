#pragma once

#include <string>

#include "vapidash/model/call.hpp"
#include "vapidash/model/call_update.hpp"
#include "vapidash/model/status_event.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

// The row of GET /api/{client_id}/calls (snake_case).
void to_json(json& out, const Call& call);
void from_json(const json& in, Call& call);

// Appends dump_json(json(call)) to `out`, byte for byte, without building the JSON value: the calls list
// writes up to a million rows per request.
void append_list_row(std::string& out, const Call& call);

// A timeline entry of GET /api/debug/status-events/... with its payload as JSON, never a string.
void to_json(json& out, const StatusEvent& event);
void from_json(const json& in, StatusEvent& event);

void to_json(json& out, const TranscriptLine& line);
void from_json(const json& in, TranscriptLine& line);

// GET /api/{client_id}/calls/{call_id}: the list row's fields, what webhooks taught us, and the transcript.
// duration_seconds is the reported duration, else ended_at - started_at.
void to_json(json& out, const CallDetail& detail);
void from_json(const json& in, CallDetail& detail);

// The WebSocket feed's message: {"type": "call-upsert", "clientId": ..., "call": {camelCase fields},
// "cause": ...}; `cause` names what changed the call: a VAPI message type, or "debug" for the debug endpoint.
json call_upsert_message(const Call& call, const std::string& cause);

// A call as read back from a call-upsert message's "call" object (camelCase), for the feed's clients.
Call call_from_upsert(const json& message);

// The event feeds' message for a committed timeline entry:
// {"type": "status-event", "clientId": ..., "callId": ..., "event": {"id", "status", "created_at",
// "payload"}}.
json status_event_message(const StatusEvent& event);
StatusEvent status_event_from_message(const json& message);

// Every final line as "role: text", one per line: what dashboards show as a call's live transcript.
std::string full_transcript_text(const std::vector<TranscriptLine>& finals);

// The feed's message for a live transcript line: {"type": "transcript-update", "clientId", "callId",
// "fullTranscript", "line": {"role", "text", "at", "final"}}.
json transcript_update_message(const std::string& client_id, const std::string& call_id,
                               const LiveTranscript& live);

}  // namespace vapidash
