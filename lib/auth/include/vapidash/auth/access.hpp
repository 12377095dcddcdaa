#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vapidash {

// One tenant's credentials, from the tenants file.
struct TenantAccess {
  std::vector<std::string> webhook_secrets;  // legacy: sent verbatim in x-vapi-secret
  std::vector<std::string> bearer_tokens;    // Authorization: Bearer <token>
  std::vector<std::string> hmac_secrets;     // x-signature = hex HMAC-SHA256 of "{x-timestamp}.{body}"
  bool webhooks_closed = false;
  std::optional<std::string> dashboard_token;
};

// Who may send webhooks and read dashboards. Empty (no tenants file, no secret) means open, as the seed was.
struct AccessConfig {
  std::map<std::string, TenantAccess> tenants;
  std::optional<std::string> admin_token;            // reads every tenant, and the unscoped feed
  std::optional<std::string> global_webhook_secret;  // --webhook-secret: x-vapi-secret or Bearer, any tenant

  bool is_open() const { return tenants.empty() && !global_webhook_secret; }
  // Once any tenant guards its dashboard, the all-tenants feed needs the admin token.
  bool feed_needs_admin() const;
};

// Reads a tenants file (format in the README); throws vapidash::error naming the file and what is wrong.
AccessConfig load_tenants_file(const std::string& path);

// The credential headers of one webhook request.
struct WebhookCredentials {
  std::optional<std::string> vapi_secret;    // x-vapi-secret
  std::optional<std::string> authorization;  // Authorization
  std::optional<std::string> signature;      // x-signature
  std::optional<std::string> timestamp;      // x-timestamp: Unix seconds or milliseconds
};

enum class WebhookVerdict { accepted, missing, invalid, stale, closed };

inline constexpr std::chrono::seconds max_signature_age{300};

// Checks a webhook for `client_id`. Secrets are compared in constant time.
WebhookVerdict check_webhook(const AccessConfig& config, const std::string& client_id,
                             const WebhookCredentials& credentials, std::string_view body,
                             std::chrono::system_clock::time_point now);

// Who reads a tenant's calls: the admin token's holder, the holder of the tenant's dashboard token, or
// anyone, when the tenant guards nothing.
enum class Reader { admin, tenant, anyone };

// Who `token` reads `client_id`'s calls as (nullopt: the unscoped feed); nullopt when it may not. The admin
// token reads everything.
std::optional<Reader> reader_of(const AccessConfig& config, const std::optional<std::string>& client_id,
                                const std::optional<std::string>& token);
bool may_read(const AccessConfig& config, const std::optional<std::string>& client_id,
              const std::optional<std::string>& token);

// How an audit trail names a reader: "admin", "tenant:<client_id>" or "anonymous".
std::string reader_name(Reader reader, const std::string& client_id);

// The token of "Bearer <token>", if that is what `authorization` holds.
std::optional<std::string> bearer_token(const std::optional<std::string>& authorization);

}  // namespace vapidash
