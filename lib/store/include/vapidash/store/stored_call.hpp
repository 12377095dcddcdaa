#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vapidash/model/call.hpp"
#include "vapidash/model/status_event.hpp"

namespace vapidash {

// How every engine lays a call out: the same column names, tags as a JSON array of strings (NULL when
// there are none), a timeline entry's payload form as a small integer.

// The column list every call SELECT and INSERT uses, in the order the engines' row readers expect.
inline constexpr const char* call_columns =
    "client_id, id, phone_number, status, started_at, ended_at, created_at, updated_at, listen_url, "
    "control_url,"
    " ended_reason, duration_seconds, cost, summary, recording_url, stereo_recording_url, transcript_text,"
    " notes, disposition, tags";

// When a call `c` ended: its ended_at, or for a call a debug update ended (which sets no ended_at) its last
// update. NULL while it has not ended. Each engine indexes this expression.
inline constexpr const char* call_end =
    "coalesce(c.ended_at, CASE WHEN c.status = 'ended' THEN c.updated_at END)";

std::optional<std::string> stored_tags(const Call& call);
std::vector<std::string> tags_from_stored(const std::optional<std::string>& stored);

PayloadForm payload_form_from_stored(std::int64_t column);
inline std::int64_t stored_payload_form(PayloadForm form) {
  return static_cast<std::int64_t>(form);
}

}  // namespace vapidash
