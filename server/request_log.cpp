#include "vapidash/server/request_log.hpp"

#include <array>
#include <boost/url/parse.hpp>
#include <cctype>
#include <cstdio>

#include "vapidash/server/log.hpp"

namespace vapidash::server {

namespace {

constexpr std::array<std::string_view, 6> credential_words{"token",    "secret",    "key",
                                                           "password", "signature", "auth"};
constexpr std::string_view redacted = "REDACTED";
constexpr std::size_t max_field = 512;  // longer sender-chosen text is cut, so one request is one short line

bool is_credential_name(std::string_view name) {
  std::string lower;
  for (const char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto word : credential_words) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

// Control characters as \xNN: a sender's text must not start a forged line.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, max_field)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      std::array<char, 5> escaped{};
      std::snprintf(escaped.data(), escaped.size(), "\\x%02x", byte);
      out += escaped.data();
    } else {
      out += c;
    }
  }
  if (text.size() > max_field) out += "...";
  return out;
}

std::string milliseconds(std::chrono::microseconds took) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1fms", static_cast<double>(took.count()) / 1000.0);
  return text.data();
}

std::string webhook_part(const WebhookNote& note) {
  std::string part = " webhook " + printable(note.type);
  if (!note.call_id.empty()) part += " call=" + printable(note.call_id);
  part += " " + note.outcome;
  if (!note.reason.empty()) part += ": " + printable(note.reason);
  return part;
}

}  // namespace

std::string redacted_target(std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::string(target);
  const auto url = boost::urls::parse_origin_form(target);
  // A query we cannot read could hold anything: keep only the path.
  if (!url) return std::string(target.substr(0, question)) + "?" + std::string(redacted);
  std::string out = std::string(url->encoded_path()) + "?";
  bool first = true;
  for (const auto param : url->encoded_params()) {
    if (!first) out += '&';
    first = false;
    out += param.key;
    if (!param.has_value) continue;
    out += '=';
    out += is_credential_name(param.key.decode()) ? redacted : std::string_view(param.value);
  }
  return out;
}

spdlog::level::level_enum request_log_level(const RequestRecord& record) {
  const bool rejected_webhook =
      record.notes != nullptr && record.notes->webhook && record.notes->webhook->outcome == "rejected";
  return rejected_webhook || record.refused_unread ? spdlog::level::info : spdlog::level::debug;
}

std::string request_log_line(const RequestRecord& record) {
  std::string line = printable(record.method) + " " + printable(redacted_target(record.target)) + " " +
                     std::to_string(record.status) + " " + std::to_string(record.body_bytes) + "B " +
                     milliseconds(record.took);
  if (record.notes != nullptr && record.notes->webhook) line += webhook_part(*record.notes->webhook);
  return line;
}

void log_request(const RequestRecord& record) {
  const auto level = request_log_level(record);
  if (!log().should_log(level)) return;
  log().log(level, "{}", request_log_line(record));
}

}  // namespace vapidash::server
