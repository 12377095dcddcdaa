#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vapidash/client/http_client.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

// What `vapidash webhook` sends: a VAPI server message of `type` carrying only what that type needs, or the
// message in `file` with the type, call id and status given here in place of its own.
struct WebhookSpec {
  std::optional<std::string> type;     // required without `file`; one of known_webhook_types()
  std::optional<std::string> call_id;  // required without `file`
  std::optional<std::string> status;   // status-update's status (default ringing); a VAPI status
  std::vector<std::string> sets;       // "path=value" overrides, path dotted and relative to "message"
  std::optional<json> file;            // a whole {"message": ...} envelope to start from instead
};

// The message types VAPI sends to a server URL; a type outside them is refused unless it comes from a file.
const std::vector<std::string>& known_webhook_types();

// Builds {"message": {...}}, timestamped `now`, then applies the sets. Throws invalid_input for an unknown
// type or status (naming the known ones), a status on a type without one, or a malformed "path=value".
json build_webhook(const WebhookSpec& spec, timestamp now);

// Sets `value` (JSON if it parses as JSON, else the text as a string) at a dotted path, creating objects.
void set_path(json& root, std::string_view path, std::string_view value);

// The credential headers for a webhook body: the legacy x-vapi-secret, or an HMAC signature.
HeaderList webhook_secret_headers(const std::string& secret);
HeaderList webhook_hmac_headers(const std::string& hmac_secret, const std::string& body, timestamp now);

}  // namespace vapidash
