#include "vapidash/wire/annotation_request.hpp"

#include <algorithm>

#include "vapidash/error.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

namespace {

[[noreturn]] void refuse(const std::string& message) {
  throw invalid_input("invalid_field", message);
}

bool has_control_character(std::string_view text, bool allow_newlines) {
  return std::any_of(text.begin(), text.end(), [&](char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) return false;
    return byte < 0x20 || byte == 0x7f;
  });
}

// A text field: null clears it (""), otherwise a string within `max_bytes`.
std::string bounded_text(const json& value, const std::string& name, std::size_t max_bytes, bool multiline) {
  if (value.is_null()) return {};
  if (!value.is_string()) refuse("\"" + name + "\" must be a string or null");
  auto text = value.get<std::string>();
  if (text.size() > max_bytes) {
    refuse("\"" + name + "\" may hold at most " + std::to_string(max_bytes) + " bytes, got " +
           std::to_string(text.size()));
  }
  if (has_control_character(text, multiline)) {
    refuse("\"" + name + "\" must not contain control characters" +
           (multiline ? " other than newlines" : ""));
  }
  return text;
}

std::vector<std::string> read_tags(const json& value) {
  if (value.is_null()) return {};
  if (!value.is_array()) refuse("\"tags\" must be an array of strings");
  if (value.size() > max_tags) {
    refuse("\"tags\" may hold at most " + std::to_string(max_tags) + " tags, got " +
           std::to_string(value.size()));
  }
  std::vector<std::string> tags;
  for (const auto& entry : value) {
    if (!entry.is_string()) refuse("\"tags\" must hold strings only");
    auto tag = bounded_text(entry, "a tag", max_tag_bytes, false);
    if (tag.empty()) refuse("\"tags\" must not contain empty tags");
    if (std::find(tags.begin(), tags.end(), tag) != tags.end())
      refuse("\"tags\" lists \"" + tag + "\" twice");
    tags.push_back(std::move(tag));
  }
  return tags;
}

}  // namespace

CallAnnotations parse_call_annotations(std::string_view body) {
  const auto object = parse_request_object(body);
  CallAnnotations annotations;
  for (const auto& [key, value] : object.items()) {
    if (key == "notes") {
      annotations.notes = bounded_text(value, key, max_notes_bytes, true);
    } else if (key == "disposition") {
      annotations.disposition = bounded_text(value, key, max_disposition_bytes, false);
    } else if (key == "tags") {
      annotations.tags = read_tags(value);
    } else {
      refuse("unknown field \"" + key + "\": a call takes \"notes\", \"disposition\" and \"tags\"");
    }
  }
  if (!annotations.notes && !annotations.disposition && !annotations.tags) {
    refuse("nothing to change: send \"notes\", \"disposition\" or \"tags\"");
  }
  return annotations;
}

}  // namespace vapidash
