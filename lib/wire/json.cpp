#include "vapidash/wire/json.hpp"

#include <algorithm>

#include "vapidash/error.hpp"

namespace vapidash {

std::string dump_json(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// Serialising and comparing JSON recurse per level, so depth is bounded before anything is stored.
constexpr int max_json_depth = 128;

bool nests_deeper_than(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

}  // namespace

json parse_json(std::string_view text) {
  if (nests_deeper_than(text, max_json_depth)) {
    throw invalid_input("invalid_json",
                        "the body nests deeper than " + std::to_string(max_json_depth) + " levels");
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw invalid_input("invalid_json", "the body is not valid JSON " + where_json_breaks(e));
  } catch (const json::exception& e) {  // out_of_range for numbers past a double
    throw invalid_input("invalid_json", "the body is not valid JSON: " + std::string(e.what()));
  }
}

std::string where_json_breaks(const json::parse_error& e) {
  // nlohmann's text is "[json.exception.parse_error.101] parse error at line 1, column 2: why": keep from
  // "at".
  const std::string text = e.what();
  const auto at = text.find(" at line ");
  return at == std::string::npos ? "(" + text + ")" : text.substr(at + 1);
}

json nullable(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

std::optional<std::string> optional_string(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    throw invalid_input("invalid_field",
                        std::string("\"") + key + "\" must be a string, got " + it->type_name());
  }
  return it->get<std::string>();
}

std::optional<json> optional_object(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) {
    throw invalid_input("invalid_field",
                        std::string("\"") + key + "\" must be an object, got " + it->type_name());
  }
  return *it;
}

void require_object(const json& value, std::string_view what) {
  if (value.is_object()) return;
  throw invalid_input("invalid_json", std::string(what) + " must be a JSON object, got " + value.type_name());
}

const json* json_at_path(const json& root, const std::string& dotted_path) {
  const json* node = &root;
  std::size_t start = 0;
  while (start <= dotted_path.size()) {
    const auto end = std::min(dotted_path.find('.', start), dotted_path.size());
    const auto key = dotted_path.substr(start, end - start);
    if (node->is_object() && node->contains(key)) {
      node = &(*node)[key];
    } else if (node->is_array() && !key.empty() && std::all_of(key.begin(), key.end(), ::isdigit) &&
               std::stoul(key) < node->size()) {
      node = &(*node)[std::stoul(key)];
    } else {
      return nullptr;
    }
    start = end + 1;
  }
  return node;
}

json parse_request_object(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object();
  auto value = parse_json(body);
  require_object(value, "the request body");
  return value;
}

}  // namespace vapidash
