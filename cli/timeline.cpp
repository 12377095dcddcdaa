#include "cli/timeline.hpp"

#include <cstdio>

#include "vapidash/model/timestamp.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::cli {

namespace {

std::optional<double> seconds_between(const std::string& from, const std::string& to) {
  const auto a = parse_timestamp(from);
  const auto b = parse_timestamp(to);
  if (!a || !b) return std::nullopt;
  return std::chrono::duration<double>(*b - *a).count();
}

std::string field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string truncate(std::string text, std::size_t width) {
  for (auto& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() <= width) return text;
  return text.substr(0, width > 3 ? width - 3 : width) + "...";
}

}  // namespace

std::string payload_digest(const json& payload, std::size_t width) {
  if (!payload.is_object()) return truncate(dump_json(payload), width);
  const auto type = field(payload, "type");
  if (type.empty()) return payload.empty() ? "" : truncate(dump_json(payload), width);
  std::string digest = type;
  for (const char* key : {"status", "endedReason", "transcriptType", "role"}) {
    if (auto value = field(payload, key); !value.empty()) digest += " " + value;
  }
  if (auto text = field(payload, "transcript"); !text.empty() && type == "transcript") digest += ": " + text;
  return truncate(digest, width);
}

std::vector<TimelineRow> timeline_rows(const std::vector<StatusEvent>& events) {
  std::vector<TimelineRow> rows;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& event = events[i];
    rows.push_back(
        TimelineRow{event.id, event.created_at, event.status,
                    i == 0 ? std::nullopt : seconds_between(events[i - 1].created_at, event.created_at),
                    payload_digest(event.payload)});
  }
  return rows;
}

std::optional<double> timeline_span(const std::vector<StatusEvent>& events) {
  if (events.size() < 2) return std::nullopt;
  return seconds_between(events.front().created_at, events.back().created_at);
}

std::string format_seconds(double seconds) {
  char buffer[32];
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.3fs", seconds);
  } else if (seconds < 3600) {
    std::snprintf(buffer, sizeof buffer, "%dm%02ds", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%dh%02dm", static_cast<int>(seconds) / 3600,
                  static_cast<int>(seconds) % 3600 / 60);
  }
  return buffer;
}

}  // namespace vapidash::cli
