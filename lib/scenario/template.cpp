#include "vapidash/scenario/template.hpp"

#include <algorithm>
#include <random>

#include "vapidash/error.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/scenario/json_subset.hpp"

namespace vapidash {

namespace {

// A piece of a templated string: literal text, or a reference to resolve.
struct Piece {
  std::string text;
  bool reference = false;
};

std::vector<Piece> split(const std::string& text) {
  std::vector<Piece> pieces;
  std::string literal;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text.compare(at, 3, "$${") == 0) {
      literal += "${";
      at += 3;
    } else if (text.compare(at, 2, "${") == 0) {
      const auto end = text.find('}', at + 2);
      if (end == std::string::npos) {
        throw invalid_input("invalid_template",
                            "\"" + text + "\" opens \"${\" without closing it with \"}\"");
      }
      if (!literal.empty()) pieces.push_back(Piece{std::exchange(literal, {}), false});
      pieces.push_back(Piece{text.substr(at + 2, end - at - 2), true});
      at = end + 1;
    } else {
      literal += text[at++];
    }
  }
  if (!literal.empty()) pieces.push_back(Piece{literal, false});
  return pieces;
}

void collect(const json& value, const std::string& pointer, std::vector<TemplateReference>& found) {
  if (value.is_string()) {
    for (auto& piece : split(value.get<std::string>())) {
      if (piece.reference) found.push_back(TemplateReference{std::move(piece.text), pointer});
    }
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) collect(item, pointer + "/" + pointer_token(key), found);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      collect(value[i], pointer + "/" + std::to_string(i), found);
  }
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

json resolve(const std::string& reference, const TemplateScope& scope) {
  const auto unresolved = [&](const std::string& why) {
    return invalid_input("unresolved_reference", "${" + reference + "}: " + why);
  };
  if (reference == "call_id") return scope.call_id;
  if (scope.generated && (reference == "uuid" || reference == "now" || reference == "now_ms"))
    return scope.generated(reference);
  if (reference == "uuid") return random_uuid();
  if (reference == "now") return format_timestamp(now_utc());
  if (reference == "now_ms") {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now_utc().time_since_epoch()).count();
  }
  if (starts_with(reference, "calls.")) {
    const auto it = scope.calls.find(reference.substr(6));
    if (it == scope.calls.end()) throw unresolved("no such call in \"calls\"");
    return it->second;
  }
  if (starts_with(reference, "vars.")) {
    const auto it = scope.vars.find(reference.substr(5));
    if (it == scope.vars.end()) throw unresolved("no such variable in \"vars\" (or --var)");
    return it->second;
  }
  if (starts_with(reference, "env:")) {
    const auto value = scope.env ? scope.env(reference.substr(4)) : std::nullopt;
    if (!value) throw unresolved("the environment variable is not set");
    return *value;
  }
  const auto colon = reference.find(':');
  if (colon != std::string::npos) {
    const auto answer = scope.answers.find(reference.substr(0, colon));
    if (answer == scope.answers.end()) throw unresolved("no earlier step of that name has answered");
    const auto* value = json_at_path(answer->second, reference.substr(colon + 1));
    if (value == nullptr) {
      throw unresolved("the answer of step \"" + answer->first + "\" has nothing at \"" +
                       reference.substr(colon + 1) + "\": " + dump_json(answer->second));
    }
    return *value;
  }
  throw unresolved(
      "not a reference: use call_id, calls.NAME, vars.NAME, env:NAME, uuid, now, now_ms or STEP:path");
}

json expand_string(const std::string& text, const TemplateScope& scope) {
  const auto pieces = split(text);
  if (pieces.size() == 1 && pieces.front().reference) return resolve(pieces.front().text, scope);
  std::string out;
  for (const auto& piece : pieces) {
    if (!piece.reference) {
      out += piece.text;
      continue;
    }
    const auto value = resolve(piece.text, scope);
    out += value.is_string() ? value.get<std::string>() : dump_json(value);
  }
  return out;
}

}  // namespace

std::string random_uuid() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const auto high = random();
  const auto low = random();
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0x0fff),
                static_cast<unsigned>(0x8000 | ((low >> 48) & 0x3fff)),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

std::vector<TemplateReference> template_references(const json& value, const std::string& pointer) {
  std::vector<TemplateReference> found;
  collect(value, pointer, found);
  return found;
}

std::string unresolvable(const std::string& reference, const TemplateScope& scope,
                         const std::vector<std::string>& named_steps) {
  const auto colon = reference.find(':');
  const bool step_reference = colon != std::string::npos && !starts_with(reference, "env:");
  if (step_reference) {
    const auto step = reference.substr(0, colon);
    if (std::find(named_steps.begin(), named_steps.end(), step) != named_steps.end()) return "";
    return "${" + reference + "}: no step named \"" + step + "\" comes before this one";
  }
  try {
    resolve(reference, scope);
  } catch (const invalid_input& e) {
    return e.what();
  }
  return "";
}

json expand_templates(const json& value, const TemplateScope& scope) {
  if (value.is_string()) return expand_string(value.get<std::string>(), scope);
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [key, item] : value.items()) out[key] = expand_templates(item, scope);
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const auto& item : value) out.push_back(expand_templates(item, scope));
    return out;
  }
  return value;
}

}  // namespace vapidash
