#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace vapidash {

// Keeps keys in the order written or received: responses read like docs/api.md, payloads round-trip.
using json = nlohmann::ordered_json;

// Serialises without ever throwing: bytes that are not UTF-8 become U+FFFD.
std::string dump_json(const json& value);

// Parses a request body; throws invalid_input("invalid_json") with the parser's position on failure.
json parse_json(std::string_view text);

// Where and why text stopped being JSON: "at line 1, column 2: syntax error while parsing value - ...".
std::string where_json_breaks(const json::parse_error& e);

json nullable(const std::optional<std::string>& value);

// The value at a dotted path ("call.id", "items.0.id": object keys and array indices), or nullptr.
const json* json_at_path(const json& root, const std::string& dotted_path);

// Field readers for request bodies: absent or null → nullopt; wrong type → invalid_input("invalid_field").
std::optional<std::string> optional_string(const json& object, const char* key);
std::optional<json> optional_object(const json& object, const char* key);

// Throws invalid_input("invalid_json") unless `value` is a JSON object.
void require_object(const json& value, std::string_view what);

// A request body that must be a JSON object; an empty body is {}.
json parse_request_object(std::string_view body);

}  // namespace vapidash
