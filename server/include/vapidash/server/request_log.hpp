#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vapidash::server {

// What became of a webhook, for its request's log line.
struct WebhookNote {
  std::string type = "unknown";  // the message's type; "unknown" when it was refused before it was read
  std::string call_id;           // empty when the message has none
  std::string outcome;  // stored, duplicate, ignored, rejected, or failed (the store could not write)
  std::string reason;   // why it was ignored or rejected
};

// What a handler adds to its request's log line. Filled before the handler responds, read after the
// response is written.
struct RequestNotes {
  std::optional<WebhookNote> webhook;
};

// One answered request, as the access log shows it.
struct RequestRecord {
  std::string_view method;  // "-" when the request line could not be read
  std::string_view target;  // as received; redacted when written
  unsigned status = 0;
  std::size_t body_bytes = 0;
  std::chrono::microseconds took{0};
  bool refused_unread = false;  // answered before it was read in full (bad HTTP, headers or body too large)
  const RequestNotes* notes = nullptr;
};

// Rejected webhooks and requests refused unread at info, so someone wiring up a sender sees why a delivery
// failed without debug logging; every other request at debug.
spdlog::level::level_enum request_log_level(const RequestRecord& record);

// "POST /webhooks/vapi/acme 401 150B 0.3ms webhook unknown rejected: why": method, target, status, body
// bytes and duration, then what a webhook did. Query values that may be credentials are redacted and
// control characters escaped, so no secret and no forged line reaches the log.
std::string request_log_line(const RequestRecord& record);

// `target` with the values of credential-like query parameters (token, secret, key, password, signature)
// replaced by REDACTED.
std::string redacted_target(std::string_view target);

// Writes `record`'s line to the server's log at its level.
void log_request(const RequestRecord& record);

}  // namespace vapidash::server
