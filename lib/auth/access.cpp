#include "vapidash/auth/access.hpp"

#include "vapidash/crypto/digest.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>

namespace vapidash {

namespace {

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool matches_any(const std::vector<std::string>& secrets, const std::optional<std::string>& given) {
  if (!given) return false;
  bool matched = false;
  // Every candidate is compared, so timing does not tell which one matched.
  for (const auto& secret : secrets) matched |= equal_constant_time(secret, *given);
  return matched;
}

// x-timestamp in epoch milliseconds; Unix seconds are scaled up (no seconds value reaches 10^12 before year
// 33658). Integer milliseconds cannot overflow the comparison below, whatever a sender puts here.
std::optional<std::int64_t> signature_ms(const std::string& text) {
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value > 999'999'999'999 ? value : value * 1000;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

WebhookVerdict check_hmac(const TenantAccess& tenant, const WebhookCredentials& credentials,
                          std::string_view body, std::chrono::system_clock::time_point now) {
  if (!credentials.signature || !credentials.timestamp) return WebhookVerdict::missing;
  const auto signed_ms = signature_ms(*credentials.timestamp);
  if (!signed_ms) return WebhookVerdict::invalid;
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const auto max_age_ms = std::chrono::duration_cast<std::chrono::milliseconds>(max_signature_age).count();
  if (now_ms - *signed_ms > max_age_ms || *signed_ms - now_ms > max_age_ms) return WebhookVerdict::stale;
  auto signature = lowercase(*credentials.signature);
  if (signature.rfind("sha256=", 0) == 0) signature.erase(0, 7);
  const auto payload = *credentials.timestamp + "." + std::string(body);
  bool matched = false;
  for (const auto& secret : tenant.hmac_secrets)
    matched |= equal_constant_time(hmac_sha256_hex(secret, payload), signature);
  return matched ? WebhookVerdict::accepted : WebhookVerdict::invalid;
}

bool has_any_credential(const WebhookCredentials& c) {
  return c.vapi_secret || c.authorization || c.signature || c.timestamp;
}

}  // namespace

bool AccessConfig::feed_needs_admin() const {
  return std::any_of(tenants.begin(), tenants.end(),
                     [](const auto& t) { return t.second.dashboard_token.has_value(); });
}

std::optional<std::string> bearer_token(const std::optional<std::string>& authorization) {
  if (!authorization || authorization->size() <= 7) return std::nullopt;
  if (lowercase(authorization->substr(0, 7)) != "bearer ") return std::nullopt;
  return authorization->substr(7);
}

WebhookVerdict check_webhook(const AccessConfig& config, const std::string& client_id,
                             const WebhookCredentials& credentials, std::string_view body,
                             std::chrono::system_clock::time_point now) {
  const auto it = config.tenants.find(client_id);
  const TenantAccess* tenant = it != config.tenants.end() ? &it->second : nullptr;
  if (tenant != nullptr && tenant->webhooks_closed) return WebhookVerdict::closed;

  std::vector<std::string> secrets = tenant != nullptr ? tenant->webhook_secrets : std::vector<std::string>{};
  std::vector<std::string> bearers = tenant != nullptr ? tenant->bearer_tokens : std::vector<std::string>{};
  if (config.global_webhook_secret) {
    secrets.push_back(*config.global_webhook_secret);
    bearers.push_back(*config.global_webhook_secret);
  }
  const bool has_hmac = tenant != nullptr && !tenant->hmac_secrets.empty();
  if (secrets.empty() && bearers.empty() && !has_hmac) return WebhookVerdict::accepted;

  if (matches_any(secrets, credentials.vapi_secret)) return WebhookVerdict::accepted;
  if (matches_any(bearers, bearer_token(credentials.authorization))) return WebhookVerdict::accepted;
  if (has_hmac && credentials.signature) return check_hmac(*tenant, credentials, body, now);
  return has_any_credential(credentials) ? WebhookVerdict::invalid : WebhookVerdict::missing;
}

std::optional<Reader> reader_of(const AccessConfig& config, const std::optional<std::string>& client_id,
                                const std::optional<std::string>& token) {
  if (token && config.admin_token && equal_constant_time(*config.admin_token, *token)) return Reader::admin;
  if (!client_id) return config.feed_needs_admin() ? std::nullopt : std::optional(Reader::anyone);
  const auto it = config.tenants.find(*client_id);
  if (it == config.tenants.end() || !it->second.dashboard_token) return Reader::anyone;
  if (token && equal_constant_time(*it->second.dashboard_token, *token)) return Reader::tenant;
  return std::nullopt;
}

bool may_read(const AccessConfig& config, const std::optional<std::string>& client_id,
              const std::optional<std::string>& token) {
  return reader_of(config, client_id, token).has_value();
}

std::string reader_name(Reader reader, const std::string& client_id) {
  switch (reader) {
    case Reader::admin:
      return "admin";
    case Reader::tenant:
      return "tenant:" + client_id;
    case Reader::anyone:
      break;
  }
  return "anonymous";
}

}  // namespace vapidash
