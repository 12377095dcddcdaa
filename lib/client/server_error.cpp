#include "vapidash/client/server_error.hpp"

namespace vapidash {

namespace {
std::string error_summary(unsigned status, const json& body) {
  const auto prefix = "the server answered " + std::to_string(status);
  if (body.is_object() && body.contains("error") && body.at("error").is_object()) {
    const auto& error = body.at("error");
    return prefix + " " + error.value("code", "") + ": " + error.value("message", "");
  }
  // Not our error shape (a proxy's page, say): show what came back, shortened.
  auto text = body.is_string() ? body.get<std::string>() : dump_json(body);
  if (text.size() > 300) text = text.substr(0, 300) + "...";
  return text.empty() ? prefix : prefix + ": " + text;
}
}  // namespace

server_error::server_error(unsigned status, json body)
    : error(error_summary(status, body)), status_(status), body_(std::move(body)) {}

json answer_body(const std::string& text) {
  try {
    return parse_json(text);
  } catch (const invalid_input&) {
    return json(text);
  }
}

}  // namespace vapidash
