#pragma once

#include <optional>
#include <string>

#include "vapidash/client/http_client.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/scenario/scenario.hpp"

namespace vapidash {

// The credentials a run sends with: the tenant's token for the API and the feeds, and the default
// credential of webhook steps that name none.
struct Credentials {
  std::optional<std::string> token;        // Authorization: Bearer
  std::optional<std::string> secret;       // webhooks' x-vapi-secret
  std::optional<std::string> hmac_secret;  // or their HMAC signature
};

// What a sending step (webhook, debug_call, log_event) puts on the wire.
struct StepRequest {
  http::verb method = http::verb::post;
  std::string target;
  HeaderList headers;
  std::string body;
};

// How a webhook proves where it comes from: the step's own credential, else the run's default.
struct WebhookCredential {
  enum class Kind { none, secret, hmac };
  Kind kind = Kind::none;
  std::string value;
};

// `spec` is the step's action object with its references expanded; `client` and `call` are the scenario's
// defaults, which the spec's own `client` and `call` override.
std::string step_target(const std::string& action, const json& spec, const std::string& client,
                        const std::string& call);
// The VAPI message a webhook step sends, stamped `now`.
json webhook_envelope(const Scenario& scenario, const json& spec, const std::string& call, timestamp now);
WebhookCredential webhook_credential(const json& spec, const Credentials& credentials);
// The headers of a credential for this body: an HMAC signature covers the body and the time.
HeaderList credential_headers(const WebhookCredential& credential, const std::string& body, timestamp now);

StepRequest step_request(const Scenario& scenario, const std::string& action, const json& spec,
                         const std::string& client, const std::string& call, const Credentials& credentials,
                         timestamp now);

}  // namespace vapidash
