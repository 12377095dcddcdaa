#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vapidash/wire/json.hpp"

namespace vapidash {

// What ${...} references resolve to in one run of a scenario.
struct TemplateScope {
  std::string call_id;                       // ${call_id}
  std::map<std::string, std::string> calls;  // ${calls.NAME}
  std::map<std::string, json> vars;          // ${vars.NAME}
  std::map<std::string, json> answers;       // ${STEP:dotted.path}, the answers of named steps so far
  std::function<std::optional<std::string>(const std::string&)> env;  // ${env:NAME}
  // When set, resolves ${uuid}, ${now} and ${now_ms} instead of the random generator and the clock: load
  // renders each request once, with placeholders for what changes on every send.
  std::function<json(const std::string&)> generated;
};

// A random (version 4) UUID, what ${uuid} resolves to.
std::string random_uuid();

// A reference as written between "${" and "}", with where it sits in the file.
struct TemplateReference {
  std::string text;
  std::string pointer;
};

// Every reference in `value`'s strings ("$${" is a literal "${"). Throws invalid_input("invalid_template")
// for a "${" without its "}".
std::vector<TemplateReference> template_references(const json& value, const std::string& pointer = "");

// Why `reference` cannot resolve before the run starts (an undeclared call or var, an unset environment
// variable, a step that is not named earlier, a form that does not exist), or "" when it can.
// `named_steps` are the names of the steps before the one that holds it.
std::string unresolvable(const std::string& reference, const TemplateScope& scope,
                         const std::vector<std::string>& named_steps);

// `value` with every reference replaced. A string that is exactly one reference becomes the referenced JSON
// value (so "${now_ms}" is a number); otherwise the text is substituted. Throws invalid_input
// ("unresolved_reference") naming the reference when it cannot resolve.
json expand_templates(const json& value, const TemplateScope& scope);

}  // namespace vapidash
