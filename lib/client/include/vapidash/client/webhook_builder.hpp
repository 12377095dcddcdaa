#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vapidash/client/http_client.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

// What `vapidash webhook` sends: a realistic VAPI server message of `type`, or the message in `file`.
struct WebhookSpec {
  std::string type;
  std::string call_id;
  std::optional<std::string> status;  // status-update's status (default ringing)
  std::vector<std::string> sets;      // "path=value" overrides, path dotted and relative to "message"
  std::optional<json> file;           // a whole {"message": ...} envelope to start from instead
};

// The message types the builder knows defaults for; any other type gets the common envelope.
const std::vector<std::string>& known_webhook_types();

// Builds {"message": {...}} with sensible defaults for the type, timestamped `now`, then applies the sets.
// Throws invalid_input for a malformed "path=value".
json build_webhook(const WebhookSpec& spec, timestamp now);

// Sets `value` (JSON if it parses as JSON, else the text as a string) at a dotted path, creating objects.
void set_path(json& root, std::string_view path, std::string_view value);

// The credential headers for a webhook body: the legacy x-vapi-secret, or an HMAC signature.
HeaderList webhook_secret_headers(const std::string& secret);
HeaderList webhook_hmac_headers(const std::string& hmac_secret, const std::string& body, timestamp now);

}  // namespace vapidash
