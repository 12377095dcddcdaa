#include "vapidash/auth/access.hpp"
#include "vapidash/crypto/digest.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>

#include "support/temp_dir.hpp"
#include "vapidash/error.hpp"

namespace vapidash {
// Found by gtest through ADL; internal linkage, so another test file may print verdicts its own way.
[[maybe_unused]] static void PrintTo(WebhookVerdict verdict, std::ostream* os) {
  static constexpr const char* names[] = {"accepted", "missing", "invalid", "stale", "closed"};
  *os << names[static_cast<int>(verdict)];
}
}  // namespace vapidash

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

const std::string body = R"({"message": {"type": "status-update", "status": "ringing"}})";

std::string seconds_of(system_clock::time_point t) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

std::string milliseconds_of(system_clock::time_point t) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

std::string uppercase(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

WebhookCredentials secret_header(std::string secret) {
  return WebhookCredentials{std::move(secret), std::nullopt, std::nullopt, std::nullopt};
}

WebhookCredentials authorization_header(std::string value) {
  return WebhookCredentials{std::nullopt, std::move(value), std::nullopt, std::nullopt};
}

WebhookCredentials signature_headers(std::string signature, std::string timestamp) {
  return WebhookCredentials{std::nullopt, std::nullopt, std::move(signature), std::move(timestamp)};
}

// A tenant per credential kind, a closed tenant, and a tenant without any webhook credential.
AccessConfig tenants_config() {
  AccessConfig config;
  config.tenants["legacy"].webhook_secrets = {"legacy-secret"};
  config.tenants["bearer"].bearer_tokens = {"bearer-token"};
  config.tenants["signed"].hmac_secrets = {"hmac-key"};
  config.tenants["rotating"].webhook_secrets = {"old-secret", "new-secret"};
  config.tenants["rotating"].bearer_tokens = {"old-token", "new-token"};
  config.tenants["rotating"].hmac_secrets = {"old-key", "new-key"};
  config.tenants["closed"].webhook_secrets = {"closed-secret"};
  config.tenants["closed"].webhooks_closed = true;
  config.tenants["reader-only"].dashboard_token = "reader-token";
  return config;
}

class CheckWebhookTest : public ::testing::Test {
 protected:
  WebhookVerdict check(const std::string& client_id, const WebhookCredentials& credentials,
                       std::string_view payload = body) const {
    return check_webhook(config_, client_id, credentials, payload, now_);
  }
  WebhookCredentials signed_at(system_clock::time_point at, const std::string& key = "hmac-key") const {
    const auto stamp = seconds_of(at);
    return signature_headers(hmac_sha256_hex(key, stamp + "." + body), stamp);
  }

  AccessConfig config_ = tenants_config();
  system_clock::time_point now_ = system_clock::now();
};

TEST(CheckWebhook, AnOpenConfigAcceptsAnythingFromAnyTenant) {
  const AccessConfig open;
  ASSERT_TRUE(open.is_open());
  const auto now = system_clock::now();
  EXPECT_EQ(check_webhook(open, "demo-client", WebhookCredentials{}, body, now), WebhookVerdict::accepted);
  EXPECT_EQ(check_webhook(open, "demo-client", secret_header("whatever"), body, now),
            WebhookVerdict::accepted);
  EXPECT_EQ(check_webhook(open, "demo-client", authorization_header("Bearer x"), body, now),
            WebhookVerdict::accepted);
}

TEST_F(CheckWebhookTest, ATenantWithoutWebhookCredentialsStaysOpen) {
  EXPECT_EQ(check("reader-only", WebhookCredentials{}), WebhookVerdict::accepted);
  EXPECT_EQ(check("not-configured", WebhookCredentials{}), WebhookVerdict::accepted);
}

TEST_F(CheckWebhookTest, VapiSecretRightWrongAndMissing) {
  EXPECT_EQ(check("legacy", secret_header("legacy-secret")), WebhookVerdict::accepted);
  EXPECT_EQ(check("legacy", secret_header("legacy-secreT")), WebhookVerdict::invalid);
  EXPECT_EQ(check("legacy", secret_header("legacy-secret-and-more")), WebhookVerdict::invalid);
  EXPECT_EQ(check("legacy", secret_header("")), WebhookVerdict::invalid);
  EXPECT_EQ(check("legacy", WebhookCredentials{}), WebhookVerdict::missing);
}

TEST_F(CheckWebhookTest, ASecretIsOnlyGoodForItsOwnTenant) {
  EXPECT_EQ(check("bearer", secret_header("legacy-secret")), WebhookVerdict::invalid);
  EXPECT_EQ(check("legacy", authorization_header("Bearer bearer-token")), WebhookVerdict::invalid);
  EXPECT_EQ(check("legacy", secret_header("bearer-token")), WebhookVerdict::invalid);
}

TEST_F(CheckWebhookTest, BearerRightAndWrong) {
  EXPECT_EQ(check("bearer", authorization_header("Bearer bearer-token")), WebhookVerdict::accepted);
  EXPECT_EQ(check("bearer", authorization_header("Bearer wrong-token")), WebhookVerdict::invalid);
  EXPECT_EQ(check("bearer", authorization_header("Basic bearer-token")), WebhookVerdict::invalid);
  EXPECT_EQ(check("bearer", authorization_header("bearer-token")), WebhookVerdict::invalid);
  EXPECT_EQ(check("bearer", authorization_header("Bearer ")), WebhookVerdict::invalid);
  EXPECT_EQ(check("bearer", WebhookCredentials{}), WebhookVerdict::missing);
}

TEST_F(CheckWebhookTest, TheBearerSchemeIsCaseInsensitive) {
  for (const char* scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR "}) {
    EXPECT_EQ(check("bearer", authorization_header(std::string(scheme) + "bearer-token")),
              WebhookVerdict::accepted)
        << scheme;
  }
  // The token itself is compared exactly.
  EXPECT_EQ(check("bearer", authorization_header("Bearer BEARER-TOKEN")), WebhookVerdict::invalid);
}

TEST_F(CheckWebhookTest, HmacOfTimestampDotBodyInHexIsAccepted) {
  const auto stamp = seconds_of(now_);
  const auto signature = hmac_sha256_hex("hmac-key", stamp + "." + body);
  EXPECT_EQ(check("signed", signature_headers(signature, stamp)), WebhookVerdict::accepted);
  EXPECT_EQ(check("signed", signature_headers("sha256=" + signature, stamp)), WebhookVerdict::accepted);
  EXPECT_EQ(check("signed", signature_headers(uppercase(signature), stamp)), WebhookVerdict::accepted);
  EXPECT_EQ(check("signed", signature_headers("sha256=" + uppercase(signature), stamp)),
            WebhookVerdict::accepted);
}

TEST_F(CheckWebhookTest, HmacAcceptsMillisecondTimestamps) {
  const auto stamp = milliseconds_of(now_);
  ASSERT_EQ(stamp.size(), 13u);
  const auto signature = hmac_sha256_hex("hmac-key", stamp + "." + body);
  EXPECT_EQ(check("signed", signature_headers(signature, stamp)), WebhookVerdict::accepted);
}

TEST_F(CheckWebhookTest, HmacOverAnotherBodyIsInvalid) {
  const auto stamp = seconds_of(now_);
  const auto signature = hmac_sha256_hex("hmac-key", stamp + "." + body);
  EXPECT_EQ(check("signed", signature_headers(signature, stamp), body + " "), WebhookVerdict::invalid);
  EXPECT_EQ(check("signed", signature_headers(signature, stamp), "{}"), WebhookVerdict::invalid);
}

TEST_F(CheckWebhookTest, HmacWithTheWrongKeyOrTimestampIsInvalid) {
  const auto stamp = seconds_of(now_);
  EXPECT_EQ(check("signed", signature_headers(hmac_sha256_hex("other-key", stamp + "." + body), stamp)),
            WebhookVerdict::invalid);
  // Signed for one timestamp, sent with another (still fresh) one.
  const auto signature = hmac_sha256_hex("hmac-key", stamp + "." + body);
  EXPECT_EQ(check("signed", signature_headers(signature, seconds_of(now_ - 1s))), WebhookVerdict::invalid);
  // Without the "{timestamp}." prefix.
  EXPECT_EQ(check("signed", signature_headers(hmac_sha256_hex("hmac-key", body), stamp)),
            WebhookVerdict::invalid);
  EXPECT_EQ(check("signed", signature_headers("sha256=", stamp)), WebhookVerdict::invalid);
  EXPECT_EQ(check("signed", signature_headers("not hex at all", stamp)), WebhookVerdict::invalid);
}

TEST_F(CheckWebhookTest, HmacWithAGarbageTimestampIsInvalid) {
  for (const std::string stamp : {"", "now", "-1", "12a", " 1700000000", "1700000000.5", "1e9"}) {
    const auto signature = hmac_sha256_hex("hmac-key", stamp + "." + body);
    EXPECT_EQ(check("signed", signature_headers(signature, stamp)), WebhookVerdict::invalid) << stamp;
  }
}

TEST_F(CheckWebhookTest, HmacSixMinutesOldOrAheadIsStale) {
  EXPECT_EQ(check("signed", signed_at(now_ - 6min)), WebhookVerdict::stale);
  EXPECT_EQ(check("signed", signed_at(now_ + 6min)), WebhookVerdict::stale);
  EXPECT_EQ(check("signed", signed_at(now_ - 24h)), WebhookVerdict::stale);
  EXPECT_EQ(check("signed", signed_at(system_clock::time_point{})), WebhookVerdict::stale);
  // Within the window on either side.
  EXPECT_EQ(check("signed", signed_at(now_ - 4min)), WebhookVerdict::accepted);
  EXPECT_EQ(check("signed", signed_at(now_ + 4min)), WebhookVerdict::accepted);
}

TEST_F(CheckWebhookTest, HmacStaleInMillisecondsToo) {
  for (const auto at : {now_ - 6min, now_ + 6min}) {
    const auto stamp = milliseconds_of(at);
    const auto signature = hmac_sha256_hex("hmac-key", stamp + "." + body);
    EXPECT_EQ(check("signed", signature_headers(signature, stamp)), WebhookVerdict::stale) << stamp;
  }
}

TEST_F(CheckWebhookTest, HmacWithoutSignatureOrTimestampIsRefused) {
  EXPECT_EQ(check("signed", WebhookCredentials{}), WebhookVerdict::missing);
  const auto stamp = seconds_of(now_);
  const WebhookCredentials only_timestamp{std::nullopt, std::nullopt, std::nullopt, stamp};
  EXPECT_NE(check("signed", only_timestamp), WebhookVerdict::accepted);
  const WebhookCredentials only_signature{std::nullopt, std::nullopt,
                                          hmac_sha256_hex("hmac-key", stamp + "." + body), std::nullopt};
  EXPECT_NE(check("signed", only_signature), WebhookVerdict::accepted);
}

// Years far in the future must be stale however the clock arithmetic is done. These timestamps are chosen
// so that converting them to system_clock's nanoseconds overflows 64 bits and wraps to about now.
TEST_F(CheckWebhookTest, HmacTimestampsThatOverflowTheClockAreStale) {
  // 2^64 = 18446744073 s + 709551616 ns = 18446744073709 ms + 551616 ns: v * unit lands within one unit
  // of now + 2^64, which wraps to now in 64-bit nanoseconds.
  const auto now_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(now_.time_since_epoch()).count());
  const std::uint64_t as_seconds = 18'446'744'073 + (now_ns + 709'551'616) / 1'000'000'000;  // year ~2610
  const std::uint64_t as_milliseconds = 18'446'744'073'709 + (now_ns + 551'616) / 1'000'000;
  for (const auto value : {as_seconds, as_milliseconds}) {
    const auto stamp = std::to_string(value);
    const auto signature = hmac_sha256_hex("hmac-key", stamp + "." + body);
    EXPECT_EQ(check("signed", signature_headers(signature, stamp)), WebhookVerdict::stale) << stamp;
  }
  for (const std::string stamp : {"99999999999", "999999999999", "9999999999999", "9223372036854775807"}) {
    const auto signature = hmac_sha256_hex("hmac-key", stamp + "." + body);
    EXPECT_EQ(check("signed", signature_headers(signature, stamp)), WebhookVerdict::stale) << stamp;
  }
}

TEST_F(CheckWebhookTest, EverySecretOfARotationIsAccepted) {
  EXPECT_EQ(check("rotating", secret_header("old-secret")), WebhookVerdict::accepted);
  EXPECT_EQ(check("rotating", secret_header("new-secret")), WebhookVerdict::accepted);
  EXPECT_EQ(check("rotating", secret_header("other-secret")), WebhookVerdict::invalid);
  EXPECT_EQ(check("rotating", authorization_header("Bearer old-token")), WebhookVerdict::accepted);
  EXPECT_EQ(check("rotating", authorization_header("Bearer new-token")), WebhookVerdict::accepted);
  EXPECT_EQ(check("rotating", authorization_header("Bearer old-secret")), WebhookVerdict::invalid);
  EXPECT_EQ(check("rotating", signed_at(now_, "old-key")), WebhookVerdict::accepted);
  EXPECT_EQ(check("rotating", signed_at(now_, "new-key")), WebhookVerdict::accepted);
  EXPECT_EQ(check("rotating", signed_at(now_, "other-key")), WebhookVerdict::invalid);
}

TEST_F(CheckWebhookTest, AWrongCredentialOfOneKindDoesNotHideARightOneOfAnother) {
  const auto stamp = seconds_of(now_);
  const WebhookCredentials mixed{"wrong-secret", "Bearer new-token", std::nullopt, std::nullopt};
  EXPECT_EQ(check("rotating", mixed), WebhookVerdict::accepted);
  const WebhookCredentials signed_with_wrong_secret{"wrong-secret", std::nullopt,
                                                    hmac_sha256_hex("new-key", stamp + "." + body), stamp};
  EXPECT_EQ(check("rotating", signed_with_wrong_secret), WebhookVerdict::accepted);
}

TEST_F(CheckWebhookTest, TheGlobalSecretWorksForAnyTenantAsSecretOrBearer) {
  config_.global_webhook_secret = "global-secret";
  for (const char* tenant : {"legacy", "bearer", "signed", "rotating", "reader-only", "not-configured"}) {
    EXPECT_EQ(check(tenant, secret_header("global-secret")), WebhookVerdict::accepted) << tenant;
    EXPECT_EQ(check(tenant, authorization_header("Bearer global-secret")), WebhookVerdict::accepted)
        << tenant;
    EXPECT_EQ(check(tenant, secret_header("wrong")), WebhookVerdict::invalid) << tenant;
    EXPECT_EQ(check(tenant, WebhookCredentials{}), WebhookVerdict::missing) << tenant;
  }
  // The tenants' own credentials keep working beside it.
  EXPECT_EQ(check("legacy", secret_header("legacy-secret")), WebhookVerdict::accepted);
  EXPECT_EQ(check("bearer", authorization_header("Bearer bearer-token")), WebhookVerdict::accepted);
}

TEST(CheckWebhook, AGlobalSecretAloneClosesTheOpenConfig) {
  AccessConfig config;
  config.global_webhook_secret = "global-secret";
  EXPECT_FALSE(config.is_open());
  const auto now = system_clock::now();
  EXPECT_EQ(check_webhook(config, "demo-client", WebhookCredentials{}, body, now), WebhookVerdict::missing);
  EXPECT_EQ(check_webhook(config, "demo-client", secret_header("global-secret"), body, now),
            WebhookVerdict::accepted);
}

TEST_F(CheckWebhookTest, AClosedTenantRefusesEvenTheRightSecret) {
  EXPECT_EQ(check("closed", secret_header("closed-secret")), WebhookVerdict::closed);
  EXPECT_EQ(check("closed", WebhookCredentials{}), WebhookVerdict::closed);
  config_.global_webhook_secret = "global-secret";
  EXPECT_EQ(check("closed", secret_header("global-secret")), WebhookVerdict::closed);
  EXPECT_EQ(check("closed", authorization_header("Bearer global-secret")), WebhookVerdict::closed);
}

TEST(CheckWebhook, AClosedTenantWithoutCredentialsIsClosed) {
  AccessConfig config;
  config.tenants["shut"].webhooks_closed = true;
  EXPECT_EQ(check_webhook(config, "shut", WebhookCredentials{}, body, system_clock::now()),
            WebhookVerdict::closed);
}

// --- may_read ---

AccessConfig readers_config() {
  AccessConfig config;
  config.admin_token = "admin-token";
  config.tenants["tenant-a"].dashboard_token = "token-a";
  config.tenants["tenant-b"].dashboard_token = "token-b";
  config.tenants["tenant-open"].webhook_secrets = {"secret"};
  return config;
}

TEST(MayRead, ATenantWithADashboardTokenNeedsIt) {
  const auto config = readers_config();
  EXPECT_TRUE(may_read(config, "tenant-a", "token-a"));
  EXPECT_FALSE(may_read(config, "tenant-a", std::nullopt));
  EXPECT_FALSE(may_read(config, "tenant-a", std::string()));
  EXPECT_FALSE(may_read(config, "tenant-a", "token-a "));
  EXPECT_FALSE(may_read(config, "tenant-a", "TOKEN-A"));
}

TEST(MayRead, AnotherTenantsTokenIsRefused) {
  const auto config = readers_config();
  EXPECT_FALSE(may_read(config, "tenant-a", "token-b"));
  EXPECT_FALSE(may_read(config, "tenant-b", "token-a"));
}

TEST(MayRead, TheAdminTokenReadsEveryTenantAndTheUnscopedFeed) {
  const auto config = readers_config();
  for (const char* tenant : {"tenant-a", "tenant-b", "tenant-open", "unknown"}) {
    EXPECT_TRUE(may_read(config, std::string(tenant), "admin-token")) << tenant;
  }
  EXPECT_TRUE(may_read(config, std::nullopt, "admin-token"));
  EXPECT_FALSE(may_read(config, "tenant-a", "admin-token-2"));
}

TEST(MayRead, TenantsWithoutADashboardTokenAreReadable) {
  const auto config = readers_config();
  EXPECT_TRUE(may_read(config, "tenant-open", std::nullopt));
  EXPECT_TRUE(may_read(config, "unknown", std::nullopt));
  EXPECT_TRUE(may_read(config, "unknown", "token-a"));
}

TEST(MayRead, TheUnscopedFeedNeedsTheAdminTokenOnceAnyTenantHasADashboardToken) {
  const auto config = readers_config();
  EXPECT_TRUE(config.feed_needs_admin());
  EXPECT_FALSE(may_read(config, std::nullopt, std::nullopt));
  EXPECT_FALSE(may_read(config, std::nullopt, "token-a"));
  EXPECT_TRUE(may_read(config, std::nullopt, "admin-token"));

  AccessConfig one_guarded;
  one_guarded.tenants["tenant-a"].dashboard_token = "token-a";
  EXPECT_FALSE(may_read(one_guarded, std::nullopt, std::nullopt));
  EXPECT_FALSE(may_read(one_guarded, std::nullopt, "token-a"))
      << "no admin token configured: nobody reads all";
}

TEST(MayRead, TheUnscopedFeedIsOpenWhileNoTenantGuardsItsDashboard) {
  AccessConfig config;
  config.tenants["tenant-a"].webhook_secrets = {"secret"};
  EXPECT_FALSE(config.feed_needs_admin());
  EXPECT_TRUE(may_read(config, std::nullopt, std::nullopt));
  EXPECT_TRUE(may_read(AccessConfig{}, std::nullopt, std::nullopt));
}

// --- bearer_token, hmac_sha256_hex ---

TEST(BearerToken, ReadsTheTokenAfterACaseInsensitiveScheme) {
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("bearer abc"), "abc");
  EXPECT_EQ(bearer_token("BEARER abc"), "abc");
  EXPECT_EQ(bearer_token(std::nullopt), std::nullopt);
  EXPECT_EQ(bearer_token("Bearer "), std::nullopt);
  EXPECT_EQ(bearer_token("Bearer"), std::nullopt);
  EXPECT_EQ(bearer_token("Basic YWxhZGRpbjpvcGVuc2VzYW1l"), std::nullopt);
  EXPECT_EQ(bearer_token("abc"), std::nullopt);
}

TEST(HmacSha256Hex, MatchesRfc4231TestCase2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256Hex, IsLowerCaseHexOfThirtyTwoBytes) {
  const auto digest = hmac_sha256_hex("key", "");
  EXPECT_EQ(digest.size(), 64u);
  EXPECT_EQ(digest.find_first_not_of("0123456789abcdef"), std::string::npos) << digest;
  EXPECT_NE(hmac_sha256_hex("key", "a"), hmac_sha256_hex("key", "b"));
  EXPECT_NE(hmac_sha256_hex("key-1", "a"), hmac_sha256_hex("key-2", "a"));
}

// --- load_tenants_file ---

class TenantsFileTest : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }

  // Loads `text` and returns the error's message; fails the test when nothing (or another type) is thrown.
  std::optional<std::string> load_error(const std::string& text) {
    write(text);
    try {
      load_tenants_file(path_);
    } catch (const error& e) {
      return e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "threw " << typeid(e).name() << " instead of vapidash::error: " << e.what();
      return std::nullopt;
    }
    ADD_FAILURE() << "accepted: " << text;
    return std::nullopt;
  }

  void expect_rejected(const std::string& text, const std::string& problem) {
    const auto message = load_error(text);
    if (!message) return;
    EXPECT_NE(message->find(path_), std::string::npos) << "the message does not name the file: " << *message;
    EXPECT_NE(message->find(problem), std::string::npos)
        << "the message does not say \"" << problem << "\": " << *message;
  }

  TempDir dir_;
  std::string path_ = dir_.file("tenants.json");
};

TEST_F(TenantsFileTest, LoadsEveryKindOfCredential) {
  const auto config = load_tenants_file(write(R"({
    "admin_token": "admin-token",
    "tenants": {
      "acme-agency": {"webhook_secret": "s1", "bearer_token": ["b1", "b2"], "hmac_secret": "h1",
                      "dashboard_token": "d1", "webhooks": "open"},
      "senior-life": {"webhook_secret": ["s2", "s3"]},
      "shut.down": {"webhooks": "closed"},
      "empty": {}
    }
  })"));
  EXPECT_EQ(config.admin_token, "admin-token");
  EXPECT_FALSE(config.global_webhook_secret.has_value());
  ASSERT_EQ(config.tenants.size(), 4u);

  const auto& acme = config.tenants.at("acme-agency");
  EXPECT_EQ(acme.webhook_secrets, std::vector<std::string>{"s1"});
  EXPECT_EQ(acme.bearer_tokens, (std::vector<std::string>{"b1", "b2"}));
  EXPECT_EQ(acme.hmac_secrets, std::vector<std::string>{"h1"});
  EXPECT_EQ(acme.dashboard_token, "d1");
  EXPECT_FALSE(acme.webhooks_closed);

  EXPECT_EQ(config.tenants.at("senior-life").webhook_secrets, (std::vector<std::string>{"s2", "s3"}));
  EXPECT_FALSE(config.tenants.at("senior-life").dashboard_token.has_value());
  EXPECT_TRUE(config.tenants.at("shut.down").webhooks_closed);
  EXPECT_TRUE(config.tenants.at("empty").webhook_secrets.empty());
  EXPECT_TRUE(config.feed_needs_admin());
  EXPECT_FALSE(config.is_open());
}

TEST_F(TenantsFileTest, LoadedSecretsAreWhatCheckWebhookAccepts) {
  const auto config =
      load_tenants_file(write(R"({"tenants": {"acme-agency": {"webhook_secret": ["s1", "s2"]}}})"));
  const auto now = system_clock::now();
  EXPECT_EQ(check_webhook(config, "acme-agency", secret_header("s1"), body, now), WebhookVerdict::accepted);
  EXPECT_EQ(check_webhook(config, "acme-agency", secret_header("s2"), body, now), WebhookVerdict::accepted);
  EXPECT_EQ(check_webhook(config, "acme-agency", secret_header("s3"), body, now), WebhookVerdict::invalid);
}

TEST_F(TenantsFileTest, AnEmptyTenantsObjectLoads) {
  const auto config = load_tenants_file(write(R"({"tenants": {}})"));
  EXPECT_TRUE(config.tenants.empty());
  EXPECT_FALSE(config.admin_token.has_value());
}

TEST_F(TenantsFileTest, NotJsonIsRejected) {
  expect_rejected(R"({"tenants": {)", "not valid JSON");
  expect_rejected("", "not valid JSON");
}

TEST_F(TenantsFileTest, ARootThatIsNotAnObjectIsRejected) {
  expect_rejected(R"(["tenants"])", "must be a JSON object");
  expect_rejected(R"("tenants")", "must be a JSON object");
}

TEST_F(TenantsFileTest, AnUnknownTopLevelKeyIsRejected) {
  expect_rejected(R"({"tenants": {}, "tenant": {}})", "unknown key \"tenant\"");
}

TEST_F(TenantsFileTest, AnUnknownTenantKeyIsRejected) {
  expect_rejected(R"({"tenants": {"acme-agency": {"webhook_secrets": "s1"}}})",
                  "tenants.acme-agency.webhook_secrets");
}

TEST_F(TenantsFileTest, WrongTypesAreRejected) {
  expect_rejected(R"({"tenants": {"acme-agency": {"webhook_secret": 5}}})",
                  "tenants.acme-agency.webhook_secret");
  expect_rejected(R"({"tenants": {"acme-agency": {"bearer_token": ["b1", 2]}}})",
                  "tenants.acme-agency.bearer_token");
  expect_rejected(R"({"tenants": {"acme-agency": {"hmac_secret": {"key": "h"}}}})",
                  "tenants.acme-agency.hmac_secret");
  expect_rejected(R"({"tenants": {"acme-agency": {"dashboard_token": null}}})",
                  "tenants.acme-agency.dashboard_token");
  expect_rejected(R"({"tenants": {"acme-agency": {"webhook_secret": ""}}})", "non-empty string");
  expect_rejected(R"({"tenants": {"acme-agency": "s1"}})", "tenant \"acme-agency\" must be an object");
  expect_rejected(R"({"tenants": ["acme-agency"]})", "\"tenants\" must be an object");
  expect_rejected(R"({"tenants": {}, "admin_token": 7})", "admin_token");
}

TEST_F(TenantsFileTest, WebhooksMustBeOpenOrClosed) {
  expect_rejected(R"({"tenants": {"acme-agency": {"webhooks": "maybe"}}})", "tenants.acme-agency.webhooks");
  expect_rejected(R"({"tenants": {"acme-agency": {"webhooks": "maybe"}}})", "\"open\" or \"closed\"");
  expect_rejected(R"({"tenants": {"acme-agency": {"webhooks": true}}})", "\"open\" or \"closed\"");
}

TEST_F(TenantsFileTest, AnInvalidClientIdIsRejected) {
  expect_rejected(R"({"tenants": {"acme agency": {}}})", "\"acme agency\" is not a valid client_id");
  expect_rejected(R"({"tenants": {"": {}}})", "is not a valid client_id");
  expect_rejected(R"({"tenants": {")" + std::string(129, 'a') + R"(": {}}})", "is not a valid client_id");
}

// A token that must be one value cannot be an empty list: the loader says so instead of failing elsewhere.
TEST_F(TenantsFileTest, AnEmptyListForASingleTokenIsRejected) {
  expect_rejected(R"({"tenants": {"acme-agency": {"dashboard_token": []}}})",
                  "tenants.acme-agency.dashboard_token");
  expect_rejected(R"({"tenants": {}, "admin_token": []})", "admin_token");
}

TEST_F(TenantsFileTest, AMissingFileIsRejectedNamingIt) {
  const auto missing = dir_.file("does-not-exist.json");
  try {
    load_tenants_file(missing);
    FAIL() << "a missing file loaded";
  } catch (const error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(missing), std::string::npos) << message;
    EXPECT_NE(message.find("cannot be read"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace vapidash::test
