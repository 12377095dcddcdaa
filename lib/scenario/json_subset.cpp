#include "vapidash/scenario/json_subset.hpp"

#include <algorithm>
#include <array>

namespace vapidash {

namespace {

constexpr std::array<const char*, 7> any_kinds{"string", "number", "boolean", "object",
                                               "array",  "null",   "value"};

bool has_kind(const json& value, const std::string& kind) {
  if (kind == "string") return value.is_string();
  if (kind == "number") return value.is_number();
  if (kind == "boolean") return value.is_boolean();
  if (kind == "object") return value.is_object();
  if (kind == "array") return value.is_array();
  if (kind == "null") return value.is_null();
  return true;  // "value"
}

std::string shown(const json& value) {
  auto text = dump_json(value);
  if (text.size() > 200) text = text.substr(0, 197) + "...";
  return text;
}

const std::string missing = "(missing)";

class Matcher {
 public:
  std::vector<Mismatch> found;

  void compare(const json& expected, const json* actual, const std::string& at) {
    if (is_matcher(expected)) return apply(expected, actual, at);
    if (actual == nullptr) return differ(at, shown(expected), missing);
    if (expected.is_object()) return compare_object(expected, *actual, at);
    if (expected.is_array()) return compare_array(expected, *actual, at);
    if (expected.is_number() && actual->is_number()) {
      if (expected.get<double>() != actual->get<double>()) differ(at, shown(expected), shown(*actual));
      return;
    }
    if (expected != *actual) differ(at, shown(expected), shown(*actual));
  }

 private:
  void differ(const std::string& at, std::string expected, std::string actual) {
    found.push_back(Mismatch{at, std::move(expected), std::move(actual)});
  }

  void apply(const json& matcher, const json* actual, const std::string& at) {
    const auto& key = matcher.begin().key();
    const auto& argument = matcher.begin().value();
    if (key == "$absent") {
      if (actual != nullptr) differ(at, "(missing)", shown(*actual));
    } else if (actual == nullptr) {
      differ(at, shown(matcher), missing);
    } else if (key == "$any") {
      if (!has_kind(*actual, argument.get<std::string>()))
        differ(at, "any " + argument.get<std::string>(), shown(*actual));
    } else if (key == "$contains") {
      const auto& text = argument.get_ref<const std::string&>();
      if (!actual->is_string() || actual->get_ref<const std::string&>().find(text) == std::string::npos)
        differ(at, "a string containing " + shown(argument), shown(*actual));
    }
  }

  void compare_object(const json& expected, const json& actual, const std::string& at) {
    if (!actual.is_object()) return differ(at, "an object", shown(actual));
    for (const auto& [key, value] : expected.items()) {
      const auto it = actual.find(key);
      compare(value, it == actual.end() ? nullptr : &*it, at + "/" + pointer_token(key));
    }
  }

  void compare_array(const json& expected, const json& actual, const std::string& at) {
    if (!actual.is_array()) return differ(at, "an array", shown(actual));
    if (expected.size() != actual.size()) {
      // Where they part is what explains the difference; the lengths alone do not.
      for (std::size_t i = 0; i < std::min(expected.size(), actual.size()); ++i)
        compare(expected[i], &actual[i], at + "/" + std::to_string(i));
      return differ(at, shown(expected) + " (" + std::to_string(expected.size()) + " items)",
                    shown(actual) + " (" + std::to_string(actual.size()) + " items)");
    }
    for (std::size_t i = 0; i < expected.size(); ++i)
      compare(expected[i], &actual[i], at + "/" + std::to_string(i));
  }
};

}  // namespace

std::string pointer_token(const std::string& key) {
  std::string out;
  for (const char c : key)
    out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return out;
}

bool is_matcher(const json& value) {
  if (!value.is_object() || value.size() != 1) return false;
  const auto& key = value.begin().key();
  const auto& argument = value.begin().value();
  if (key == "$absent") return argument == true;
  if (key == "$contains") return argument.is_string();
  if (key == "$any") {
    return argument.is_string() &&
           std::find(any_kinds.begin(), any_kinds.end(), argument.get<std::string>()) != any_kinds.end();
  }
  return false;
}

std::string invalid_matcher(const json& value) {
  if (value.is_array()) {
    for (const auto& item : value) {
      if (auto why = invalid_matcher(item); !why.empty()) return why;
    }
  }
  if (!value.is_object() || is_matcher(value)) return "";
  for (const auto& [key, item] : value.items()) {
    if (!key.empty() && key.front() == '$') {
      return "\"" + key +
             "\" is not a matcher: use {\"$any\": \"string|number|boolean|object|array|null|value\"}, "
             "{\"$absent\": true} or {\"$contains\": \"text\"}, alone in their object";
    }
    if (auto why = invalid_matcher(item); !why.empty()) return why;
  }
  return "";
}

std::vector<Mismatch> match_subset(const json& expected, const json& actual) {
  Matcher matcher;
  matcher.compare(expected, &actual, "");
  return matcher.found;
}

}  // namespace vapidash
