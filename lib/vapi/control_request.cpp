#include "vapidash/vapi/control_request.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>

#include "vapidash/error.hpp"

namespace vapidash {

namespace {

constexpr std::size_t max_content_bytes = 4000;

[[noreturn]] void refuse(const std::string& message) {
  throw invalid_input("invalid_field", message);
}

void allow_only(const json& object, const std::string& what, std::initializer_list<std::string_view> keys) {
  for (const auto& [key, _] : object.items()) {
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    std::string known;
    for (const auto& name : keys) known += (known.empty() ? "\"" : ", \"") + std::string(name) + "\"";
    refuse("unknown field \"" + key + "\" in " + what + ": it takes " + known);
  }
}

const json& required(const json& object, const std::string& what, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) refuse(what + " needs \"" + key + "\"");
  return *found;
}

std::string content_text(const json& value, const std::string& name) {
  if (!value.is_string()) refuse("\"" + name + "\" must be a string");
  auto text = value.get<std::string>();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) refuse("\"" + name + "\" must not be empty");
  if (text.size() > max_content_bytes) {
    refuse("\"" + name + "\" may hold at most " + std::to_string(max_content_bytes) + " bytes");
  }
  return text;
}

void optional_bool(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_boolean()) return;
  // Appended, not `"\"" + std::string(key)`: GCC 12 at -O3 warns (-Wrestrict) on that.
  std::string message = "\"";
  refuse(message.append(key).append("\" must be true or false"));
}

void optional_content(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found != object.end() && !found->is_null()) content_text(*found, key);
}

// E.164: "+" and 7 to 15 digits.
bool is_phone_number(const std::string& number) {
  return number.size() >= 8 && number.size() <= 16 && number[0] == '+' &&
         std::all_of(number.begin() + 1, number.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

void check_destination(const json& destination) {
  if (!destination.is_object()) refuse("\"destination\" must be an object");
  const auto type =
      destination.value("type", json()).is_string() ? destination["type"].get<std::string>() : "";
  if (type == "number") {
    allow_only(destination, "a number destination", {"type", "number"});
    const auto& number = required(destination, "a number destination", "number");
    if (!number.is_string() || !is_phone_number(number.get<std::string>())) {
      refuse("\"destination.number\" must be an E.164 phone number like +15551234567");
    }
  } else if (type == "sip") {
    allow_only(destination, "a sip destination", {"type", "sipUri"});
    const auto& uri = required(destination, "a sip destination", "sipUri");
    if (!uri.is_string() || uri.get<std::string>().rfind("sip:", 0) != 0) {
      refuse("\"destination.sipUri\" must be a SIP URI like sip:agent@example.com");
    }
  } else {
    refuse("\"destination.type\" must be \"number\" or \"sip\"");
  }
}

void check_message(const json& message) {
  if (!message.is_object()) refuse("\"message\" must be an object with \"role\" and \"content\"");
  allow_only(message, "\"message\"", {"role", "content"});
  const auto& role = required(message, "\"message\"", "role");
  constexpr std::array roles{"system", "user", "assistant"};
  if (!role.is_string() || std::find(roles.begin(), roles.end(), role.get<std::string>()) == roles.end()) {
    refuse("\"message.role\" must be \"system\", \"user\" or \"assistant\"");
  }
  content_text(required(message, "\"message\"", "content"), "message.content");
}

std::string check_control(const json& body) {
  allow_only(body, "a control request", {"type", "control"});
  const auto& control = required(body, "a control request", "control");
  if (!control.is_string() ||
      (control.get<std::string>() != "mute-assistant" && control.get<std::string>() != "unmute-assistant")) {
    refuse("\"control\" must be \"mute-assistant\" or \"unmute-assistant\"");
  }
  return control.get<std::string>();
}

std::string check_body(const json& body, const std::string& type) {
  if (type == "say") {
    allow_only(body, "a say request", {"type", "content", "endCallAfterSpoken"});
    content_text(required(body, "a say request", "content"), "content");
    optional_bool(body, "endCallAfterSpoken");
  } else if (type == "end-call") {
    allow_only(body, "an end-call request", {"type"});
  } else if (type == "transfer") {
    allow_only(body, "a transfer request", {"type", "destination", "content"});
    check_destination(required(body, "a transfer request", "destination"));
    optional_content(body, "content");
  } else if (type == "add-message") {
    allow_only(body, "an add-message request", {"type", "message", "triggerResponseEnabled"});
    check_message(required(body, "an add-message request", "message"));
    optional_bool(body, "triggerResponseEnabled");
  } else if (type == "control") {
    return check_control(body);
  } else {
    refuse("\"type\" must be one of \"say\", \"end-call\", \"transfer\", \"add-message\", \"control\"");
  }
  return type;
}

}  // namespace

ControlRequest parse_control_request(std::string_view body) {
  auto object = parse_request_object(body);
  const auto& type = required(object, "a control request", "type");
  if (!type.is_string()) refuse("\"type\" must be a string");
  auto action = check_body(object, type.get<std::string>());
  return ControlRequest{std::move(action), std::move(object)};
}

ControlRequest parse_force_transfer(std::string_view body) {
  const auto object = parse_request_object(body);
  allow_only(object, "a force-transfer request", {"agent_phone_number", "content"});
  const auto& number = required(object, "a force-transfer request", "agent_phone_number");
  if (!number.is_string() || !is_phone_number(number.get<std::string>())) {
    refuse("\"agent_phone_number\" must be an E.164 phone number like +15551234567");
  }
  json transfer{{"type", "transfer"}, {"destination", {{"type", "number"}, {"number", number}}}};
  if (object.contains("content") && !object["content"].is_null()) transfer["content"] = object["content"];
  check_body(transfer, "transfer");
  return ControlRequest{"transfer", std::move(transfer)};
}

}  // namespace vapidash
