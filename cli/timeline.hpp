#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vapidash/model/status_event.hpp"

namespace vapidash::cli {

// One row of `vapidash timeline`.
struct TimelineRow {
  std::int64_t id = 0;
  std::string at;
  std::string status;
  std::optional<double> since_previous;  // seconds after the previous event; none for the first
  std::string digest;
};

std::vector<TimelineRow> timeline_rows(const std::vector<StatusEvent>& events);

// A one-line summary of an event payload: for a VAPI message, its type and the fields that tell it apart
// (status, role and text, ended reason); otherwise compact JSON. At most `width` characters.
std::string payload_digest(const nlohmann::ordered_json& payload, std::size_t width = 60);

// Seconds from the first event to the last, when there are two or more.
std::optional<double> timeline_span(const std::vector<StatusEvent>& events);

// "1.234s", "2m05s", "1h02m" — short enough for a table column.
std::string format_seconds(double seconds);

}  // namespace vapidash::cli
