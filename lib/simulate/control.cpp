#include "vapidash/simulate/control.hpp"

#include <algorithm>
#include <vector>

#include "vapidash/error.hpp"
#include "vapidash/spelling.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

namespace {

const std::vector<std::string> control_types = {"say", "end-call", "transfer", "add-message", "control"};
const std::vector<std::string> message_roles = {"user", "assistant", "system"};
const std::vector<std::string> controls = {"mute-assistant", "unmute-assistant"};

[[noreturn]] void bad_field(const std::string& message) {
  throw invalid_input("invalid_field", message);
}

std::string required_string(const json& object, const char* key, const std::string& where) {
  const auto value = optional_string(object, key);
  if (!value || value->empty()) bad_field("\"" + where + key + "\" must be a non-empty string");
  return *value;
}

bool optional_bool(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return false;
  if (!found->is_boolean()) bad_field(std::string("\"") + key + "\" must be true or false");
  return found->get<bool>();
}

std::string one_of(const json& object, const char* key, const std::string& where,
                   const std::vector<std::string>& allowed) {
  const auto value = required_string(object, key, where);
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    bad_field("\"" + where + key + "\" must be one of " + comma_list(allowed) + ", got \"" + value + "\"");
  }
  return value;
}

json required_object(const json& object, const char* key) {
  const auto value = optional_object(object, key);
  if (!value) bad_field(std::string("\"") + key + "\" must be an object");
  return *value;
}

}  // namespace

ControlCommand parse_control(const std::string& body) {
  const auto root = parse_json(body);
  require_object(root, "the control message");
  ControlCommand command;
  command.type = one_of(root, "type", "", control_types);
  if (command.type == "say") {
    command.content = required_string(root, "content", "");
    command.end_call_after_spoken = optional_bool(root, "endCallAfterSpoken");
  } else if (command.type == "transfer") {
    const auto destination = required_object(root, "destination");
    one_of(destination, "type", "destination.", {"number"});
    command.number = required_string(destination, "number", "destination.");
    command.content = optional_string(root, "content").value_or("");
  } else if (command.type == "add-message") {
    const auto message = required_object(root, "message");
    command.role = one_of(message, "role", "message.", message_roles);
    command.content = required_string(message, "content", "message.");
    optional_bool(root, "triggerResponseEnabled");
  } else if (command.type == "control") {
    command.control = one_of(root, "control", "", controls);
  }
  return command;
}

}  // namespace vapidash
