#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vapidash {

// One call of one tenant, keyed by (client_id, id). Timestamps are in the format of format_timestamp().
// The fields after listen_url are what webhooks teach us; debug calls leave them empty.
struct Call {
  std::string client_id;
  std::string id;
  std::string phone_number;
  std::string status;
  std::optional<std::string> started_at;
  std::optional<std::string> ended_at;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> listen_url;

  std::optional<std::string> control_url;
  std::optional<std::string> ended_reason;
  std::optional<double> duration_seconds;
  std::optional<double> cost;
  std::optional<std::string> summary;
  std::optional<std::string> recording_url;
  std::optional<std::string> stereo_recording_url;
  std::optional<std::string> transcript_text;  // the end-of-call report's whole transcript, as text

  // What supervisors wrote on the call.
  std::optional<std::string> notes;
  std::optional<std::string> disposition;
  std::vector<std::string> tags;

  bool operator==(const Call&) const = default;
};

// One final line of a call's live transcript.
struct TranscriptLine {
  std::string role;
  std::string text;
  std::optional<std::string> at;

  bool operator==(const TranscriptLine&) const = default;
};

// GET /api/{client_id}/calls/{call_id}: the call with its transcript lines in order.
struct CallDetail {
  Call call;
  std::vector<TranscriptLine> transcript;
};

}  // namespace vapidash
