#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/files.hpp"
#include "support/store_snapshot.hpp"
#include "support/test_server.hpp"
#include "vapidash/auth/access.hpp"
#include "vapidash/client/server_error.hpp"
#include "vapidash/crypto/digest.hpp"
#include "vapidash/error.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

const std::string ringing_call_id = "a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71";

std::string seconds_now(std::chrono::system_clock::duration offset = {}) {
  const auto at = std::chrono::system_clock::now() + offset;
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
}

std::string milliseconds_now() {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

HeaderList bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// One tenant per webhook credential kind, a closed one, two tenants whose dashboards need a token, and an
// admin token; no global webhook secret, so tenants without credentials stay open to webhooks.
AccessConfig auth_config() {
  AccessConfig config;
  config.admin_token = "admin-token";
  config.tenants["legacy"].webhook_secrets = {"legacy-secret", "legacy-secret-2"};
  config.tenants["bearer"].bearer_tokens = {"bearer-token"};
  config.tenants["signed"].hmac_secrets = {"hmac-key"};
  config.tenants["closed"].webhook_secrets = {"closed-secret"};
  config.tenants["closed"].webhooks_closed = true;
  config.tenants["tenant-a"].dashboard_token = "token-a";
  config.tenants["tenant-a"].webhook_secrets = {"secret-a"};
  config.tenants["tenant-b"].dashboard_token = "token-b";
  config.tenants["tenant-b"].webhook_secrets = {"secret-b"};
  return config;
}

void expect_error_body(const HttpResponse& response, unsigned status, const std::string& code) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  const auto body = response.json_body();
  EXPECT_EQ(body.at("ok"), false) << response.body;
  EXPECT_EQ(body.at("error").at("code"), code) << response.body;
  EXPECT_FALSE(body.at("error").at("message").get<std::string>().empty()) << response.body;
}

class WebhookAuthTest : public ::testing::Test {
 protected:
  HttpResponse deliver(const std::string& tenant, const HeaderList& headers) {
    return http_.post("/webhooks/vapi/" + tenant, ringing_, headers);
  }

  HeaderList signed_headers(const std::string& key, const std::string& stamp,
                            const std::string& prefix = "") {
    return {{"x-signature", prefix + hmac_sha256_hex(key, stamp + "." + ringing_)}, {"x-timestamp", stamp}};
  }

  // A stored delivery answers 200 with its event id, and the tenant then has the ringing call.
  void expect_stored(const HttpResponse& response, const std::string& tenant) {
    ASSERT_EQ(response.status, 200u) << response.body;
    const auto body = response.json_body();
    EXPECT_EQ(body.at("ok"), true);
    EXPECT_EQ(body.at("call_id"), ringing_call_id);
    EXPECT_TRUE(body.at("status_event_id").is_number_integer()) << response.body;
    const auto calls = http_.get("/api/" + tenant + "/calls", bearer("admin-token")).json_body();
    ASSERT_EQ(calls.size(), 1u) << calls.dump();
    EXPECT_EQ(calls.at(0).at("id"), ringing_call_id);
    EXPECT_EQ(calls.at(0).at("status"), "ringing");
    const auto events =
        http_.get("/api/debug/status-events/" + tenant + "/" + ringing_call_id, bearer("admin-token"));
    EXPECT_EQ(events.json_body().size(), 1u) << events.body;
  }

  // A refused delivery answers with the error body and leaves the tenant's calls and timeline, and every
  // table of the store, as they were.
  void expect_refused(const HttpResponse& response, unsigned status, const std::string& code,
                      const std::string& tenant, const std::string& snapshot_before) {
    expect_error_body(response, status, code);
    EXPECT_EQ(http_.get("/api/" + tenant + "/calls", bearer("admin-token")).json_body(), json::array());
    EXPECT_EQ(http_.get("/api/debug/status-events/" + tenant + "/" + ringing_call_id, bearer("admin-token"))
                  .json_body(),
              json::array());
    EXPECT_EQ(store_snapshot(server_.db_path()), snapshot_before);
  }

  void expect_refused_with(const std::string& tenant, const HeaderList& headers, unsigned status = 401,
                           const std::string& code = "unauthorized") {
    const auto before = store_snapshot(server_.db_path());
    expect_refused(deliver(tenant, headers), status, code, tenant, before);
  }

  TestServer server_{server::ServerOptions{}, SyncMode::full, auth_config()};
  HttpClient http_ = server_.client();
  std::string ringing_ = read_text(examples_dir + "/status-update-ringing.json");
};

TEST_F(WebhookAuthTest, TheExamplePayloadIsTheRingingCall) {
  const auto message = parse_json(ringing_).at("message");
  EXPECT_EQ(message.at("type"), "status-update");
  EXPECT_EQ(message.at("call").at("id"), ringing_call_id);
}

TEST_F(WebhookAuthTest, TheRightVapiSecretIsAccepted) {
  expect_stored(deliver("legacy", {{"x-vapi-secret", "legacy-secret"}}), "legacy");
}

TEST_F(WebhookAuthTest, EverySecretOfARotationIsAccepted) {
  expect_stored(deliver("legacy", {{"x-vapi-secret", "legacy-secret-2"}}), "legacy");
}

TEST_F(WebhookAuthTest, AWrongOrMissingVapiSecretIsRefused) {
  expect_refused_with("legacy", {{"x-vapi-secret", "legacy-secret-3"}});
  expect_refused_with("legacy", {{"x-vapi-secret", "LEGACY-SECRET"}});
  expect_refused_with("legacy", {});
  // Another tenant's secret.
  expect_refused_with("legacy", {{"x-vapi-secret", "secret-a"}});
}

TEST_F(WebhookAuthTest, TheRightBearerTokenIsAccepted) {
  expect_stored(deliver("bearer", {{"Authorization", "Bearer bearer-token"}}), "bearer");
}

TEST_F(WebhookAuthTest, TheBearerSchemeIsCaseInsensitive) {
  expect_stored(deliver("bearer", {{"Authorization", "bearer bearer-token"}}), "bearer");
}

TEST_F(WebhookAuthTest, AWrongOrMissingBearerTokenIsRefused) {
  expect_refused_with("bearer", {{"Authorization", "Bearer wrong-token"}});
  expect_refused_with("bearer", {{"Authorization", "bearer-token"}});
  expect_refused_with("bearer", {{"x-vapi-secret", "bearer-token"}});
  expect_refused_with("bearer", {});
}

TEST_F(WebhookAuthTest, AnHmacSignatureInHexIsAccepted) {
  expect_stored(deliver("signed", signed_headers("hmac-key", seconds_now())), "signed");
}

TEST_F(WebhookAuthTest, AnHmacSignatureWithThePrefixIsAccepted) {
  expect_stored(deliver("signed", signed_headers("hmac-key", seconds_now(), "sha256=")), "signed");
}

TEST_F(WebhookAuthTest, AnHmacSignatureWithAMillisecondTimestampIsAccepted) {
  expect_stored(deliver("signed", signed_headers("hmac-key", milliseconds_now())), "signed");
}

TEST_F(WebhookAuthTest, AWrongHmacSignatureIsRefused) {
  expect_refused_with("signed", signed_headers("other-key", seconds_now()));
  // Signed over another body.
  const auto stamp = seconds_now();
  expect_refused_with("signed",
                      {{"x-signature", hmac_sha256_hex("hmac-key", stamp + ".{}")}, {"x-timestamp", stamp}});
  expect_refused_with("signed", {{"x-signature", "sha256=00"}, {"x-timestamp", stamp}});
  expect_refused_with("signed", {});
}

TEST_F(WebhookAuthTest, AnExpiredOrFutureHmacTimestampIsRefused) {
  expect_refused_with("signed", signed_headers("hmac-key", seconds_now(-6min)));
  expect_refused_with("signed", signed_headers("hmac-key", seconds_now(6min)));
}

TEST_F(WebhookAuthTest, AClosedTenantAnswers403EvenToTheRightSecret) {
  expect_refused_with("closed", {{"x-vapi-secret", "closed-secret"}}, 403, "webhooks_closed");
  expect_refused_with("closed", {}, 403, "webhooks_closed");
}

TEST_F(WebhookAuthTest, ATenantWithoutWebhookCredentialsStaysOpen) {
  expect_stored(deliver("demo-client", {}), "demo-client");
}

TEST_F(WebhookAuthTest, ARefusedDeliveryDoesNotChangeAStoredCall) {
  expect_stored(deliver("legacy", {{"x-vapi-secret", "legacy-secret"}}), "legacy");
  auto in_progress = parse_json(ringing_);
  in_progress["message"]["status"] = "in-progress";
  in_progress["message"]["timestamp"] = 1795707800000;
  const auto before = store_snapshot(server_.db_path());
  const auto calls_before = http_.get("/api/legacy/calls").json_body();
  const auto response =
      http_.post("/webhooks/vapi/legacy", dump_json(in_progress), {{"x-vapi-secret", "wrong"}});
  expect_error_body(response, 401, "unauthorized");
  EXPECT_EQ(http_.get("/api/legacy/calls").json_body(), calls_before);
  EXPECT_EQ(http_.get("/api/legacy/calls").json_body().at(0).at("status"), "ringing");
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

TEST(WebhookGlobalSecretTest, TheGlobalSecretIsAcceptedForAnyTenantAsSecretOrBearer) {
  auto config = auth_config();
  config.global_webhook_secret = "global-secret";
  TestServer server(server::ServerOptions{}, SyncMode::full, config);
  auto http = server.client();
  const auto ringing = read_text(examples_dir + "/status-update-ringing.json");

  EXPECT_EQ(http.post("/webhooks/vapi/legacy", ringing, {{"x-vapi-secret", "global-secret"}}).status, 200u);
  EXPECT_EQ(http.post("/webhooks/vapi/signed", ringing, bearer("global-secret")).status, 200u);
  EXPECT_EQ(http.post("/webhooks/vapi/demo-client", ringing, {{"x-vapi-secret", "global-secret"}}).status,
            200u);
  for (const char* tenant : {"legacy", "signed", "demo-client"}) {
    EXPECT_EQ(http.get(std::string("/api/") + tenant + "/calls").json_body().size(), 1u) << tenant;
  }

  // With a global secret, a tenant without its own credentials is no longer open.
  const auto before = store_snapshot(server.db_path());
  expect_error_body(http.post("/webhooks/vapi/other-client", ringing), 401, "unauthorized");
  expect_error_body(http.post("/webhooks/vapi/other-client", ringing, {{"x-vapi-secret", "nope"}}), 401,
                    "unauthorized");
  expect_error_body(http.post("/webhooks/vapi/closed", ringing, {{"x-vapi-secret", "global-secret"}}), 403,
                    "webhooks_closed");
  EXPECT_EQ(store_snapshot(server.db_path()), before);
}

// --- dashboard tokens ---

class TenantIsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& [tenant, call] : {std::pair{"tenant-a", "call-a"}, std::pair{"tenant-b", "call-b"}}) {
      const auto response = http_.post(std::string("/api/debug/create-test-call/") + tenant,
                                       json{{"call_id", call}}.dump(), bearer("admin-token"));
      ASSERT_EQ(response.status, 200u) << response.body;
    }
  }

  // The tenant's three read routes, for `call`.
  static std::vector<std::string> read_routes(const std::string& tenant, const std::string& call) {
    return {"/api/" + tenant + "/calls", "/api/debug/status-events/" + tenant + "/" + call,
            "/api/" + tenant + "/calls/" + call};
  }

  TestServer server_{server::ServerOptions{}, SyncMode::full, auth_config()};
  HttpClient http_ = server_.client();
};

TEST_F(TenantIsolationTest, ATenantsTokenCannotReadAnotherTenant) {
  for (const auto& route : read_routes("tenant-b", "call-b")) {
    expect_error_body(http_.get(route, bearer("token-a")), 401, "unauthorized");
  }
  for (const auto& route : read_routes("tenant-a", "call-a")) {
    expect_error_body(http_.get(route, bearer("token-b")), 401, "unauthorized");
  }
}

TEST_F(TenantIsolationTest, ATenantsTokenReadsItsOwnCalls) {
  const auto calls = http_.get("/api/tenant-a/calls", bearer("token-a"));
  ASSERT_EQ(calls.status, 200u) << calls.body;
  ASSERT_EQ(calls.json_body().size(), 1u);
  EXPECT_EQ(calls.json_body().at(0).at("id"), "call-a");
  const auto events = http_.get("/api/debug/status-events/tenant-a/call-a", bearer("token-a"));
  ASSERT_EQ(events.status, 200u) << events.body;
  EXPECT_EQ(events.json_body().size(), 1u);
  const auto detail = http_.get("/api/tenant-a/calls/call-a", bearer("token-a"));
  ASSERT_EQ(detail.status, 200u) << detail.body;
  EXPECT_EQ(detail.json_body().at("id"), "call-a");
}

TEST_F(TenantIsolationTest, TheAdminTokenReadsEveryTenant) {
  for (const auto& [tenant, call] : {std::pair{"tenant-a", "call-a"}, std::pair{"tenant-b", "call-b"}}) {
    for (const auto& route : read_routes(tenant, call)) {
      const auto response = http_.get(route, bearer("admin-token"));
      EXPECT_EQ(response.status, 200u) << route << ": " << response.body;
    }
    EXPECT_EQ(
        http_.get(std::string("/api/") + tenant + "/calls", bearer("admin-token")).json_body().at(0).at("id"),
        call);
  }
}

TEST_F(TenantIsolationTest, NoTokenOrAWrongOneIsRefused) {
  for (const auto& route : read_routes("tenant-a", "call-a")) {
    expect_error_body(http_.get(route), 401, "unauthorized");
    expect_error_body(http_.get(route, bearer("not-a-token")), 401, "unauthorized");
    expect_error_body(http_.get(route, {{"Authorization", "token-a"}}), 401, "unauthorized");
  }
}

TEST_F(TenantIsolationTest, AnUnknownCallOfAnotherTenantIsRefusedNotReportedMissing) {
  // A 404 here would tell tenant A which call ids tenant B does not have.
  expect_error_body(http_.get("/api/tenant-b/calls/no-such-call", bearer("token-a")), 401, "unauthorized");
}

TEST_F(TenantIsolationTest, ATenantsTokenCannotWriteToAnotherTenant) {
  const auto before = store_snapshot(server_.db_path());
  expect_error_body(http_.post("/api/debug/create-test-call/tenant-b",
                               R"({"call_id": "call-b", "status": "ended"})", bearer("token-a")),
                    401, "unauthorized");
  expect_error_body(
      http_.post("/api/debug/log-status-event/tenant-b/call-b", R"({"status": "x"})", bearer("token-a")), 401,
      "unauthorized");
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
  const auto calls = http_.get("/api/tenant-b/calls", bearer("token-b")).json_body();
  EXPECT_EQ(calls.at(0).at("status"), "in-progress");
}

// --- the feed ---

// Expects the upgrade to `target` to be refused with 401.
void expect_feed_refused(const TestServer& server, const std::string& target) {
  FeedClient feed(server.endpoint(), target, 10s);
  try {
    feed.connect();
    ADD_FAILURE() << "the upgrade to " << target << " was accepted";
  } catch (const server_error& e) {
    EXPECT_EQ(e.status(), 401u) << target << ": " << e.what();
  }
}

// A dashboard that sends its token in the Authorization header, as a non-browser client would.
class HeaderFeed {
 public:
  HeaderFeed(const Endpoint& endpoint, const std::string& target, const std::string& authorization)
      : ws_(ioc_) {
    ws_.set_option(websocket::stream_base::decorator([authorization](websocket::request_type& request) {
      request.set(http::field::authorization, authorization);
    }));
    auto& tcp_layer = beast::get_lowest_layer(ws_);
    tcp_layer.expires_after(10s);
    beast::error_code ec;
    tcp_layer.async_connect(tcp::endpoint(net::ip::make_address(endpoint.host), endpoint.port),
                            [&](beast::error_code e) { ec = e; });
    ioc_.run();
    if (ec) throw connection_error("cannot connect: " + ec.message());
    ws_.async_handshake(response_, endpoint.host, target, [&](beast::error_code e) { handshake_error_ = e; });
    ioc_.restart();
    ioc_.run();
  }

  bool open() const { return !handshake_error_; }
  unsigned handshake_status() const { return response_.result_int(); }

  json read() {
    beast::get_lowest_layer(ws_).expires_after(10s);
    beast::error_code ec;
    ws_.async_read(buffer_, [&](beast::error_code e, std::size_t) { ec = e; });
    ioc_.restart();
    ioc_.run();
    if (ec) throw connection_error("no feed message: " + ec.message());
    auto message = json::parse(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    return message;
  }

 private:
  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  websocket::response_type response_;
  beast::error_code handshake_error_;
  beast::flat_buffer buffer_;
};

class FeedAuthTest : public ::testing::Test {
 protected:
  void create(const std::string& tenant, const std::string& call) {
    const auto response = http_.post("/api/debug/create-test-call/" + tenant, json{{"call_id", call}}.dump(),
                                     bearer("admin-token"));
    ASSERT_EQ(response.status, 200u) << response.body;
  }

  TestServer server_{server::ServerOptions{}, SyncMode::full, auth_config()};
  HttpClient http_ = server_.client();
};

TEST_F(FeedAuthTest, ATenantsTokenOpensItsScopedFeedWhichNeverCarriesAnotherTenant) {
  auto feed = server_.feed("/ws/dashboard?client_id=tenant-a&token=token-a");
  create("tenant-b", "call-b");
  create("tenant-a", "sentinel");
  const auto message = next_message(*feed);
  EXPECT_EQ(message.at("clientId"), "tenant-a");
  EXPECT_EQ(message.at("call").at("id"), "sentinel") << "tenant-b's upsert reached tenant-a's feed";
}

TEST_F(FeedAuthTest, AScopedFeedIsRefusedWithAnotherTenantsTokenOrNone) {
  expect_feed_refused(server_, "/ws/dashboard?client_id=tenant-a&token=token-b");
  expect_feed_refused(server_, "/ws/dashboard?client_id=tenant-a");
  expect_feed_refused(server_, "/ws/dashboard?client_id=tenant-a&token=");
  expect_feed_refused(server_, "/ws/dashboard?client_id=tenant-a&token=not-a-token");
}

// ?events=1 combines with the scope and the token, and asks for no more access than the plain feed.
TEST_F(FeedAuthTest, AnEventFeedNeedsTheSameTokenAndCarriesOnlyItsTenant) {
  expect_feed_refused(server_, "/ws/dashboard?client_id=tenant-a&events=1");
  expect_feed_refused(server_, "/ws/dashboard?client_id=tenant-a&events=1&token=token-b");
  expect_feed_refused(server_, "/ws/dashboard?events=1&token=token-a");
  auto feed = server_.feed("/ws/dashboard?client_id=tenant-a&events=1&token=token-a");
  create("tenant-b", "call-b");
  create("tenant-a", "sentinel");
  const auto event = next_message(*feed);
  EXPECT_EQ(event.at("type"), "status-event");
  EXPECT_EQ(event.at("clientId"), "tenant-a");
  EXPECT_EQ(event.at("callId"), "sentinel") << "tenant-b's event reached tenant-a's feed";
  EXPECT_EQ(next_message(*feed).at("call").at("id"), "sentinel");
}

TEST_F(FeedAuthTest, TheAdminTokenOpensAScopedFeedOfAnyTenant) {
  auto feed = server_.feed("/ws/dashboard?client_id=tenant-b&token=admin-token");
  create("tenant-a", "call-a");
  create("tenant-b", "sentinel");
  EXPECT_EQ(next_message(*feed).at("call").at("id"), "sentinel");
}

TEST_F(FeedAuthTest, TheUnscopedFeedNeedsTheAdminToken) {
  expect_feed_refused(server_, "/ws/dashboard");
  expect_feed_refused(server_, "/ws/dashboard?token=token-a");
  auto feed = server_.feed("/ws/dashboard?token=admin-token");
  create("tenant-a", "call-a");
  create("tenant-b", "call-b");
  EXPECT_EQ(next_message(*feed).at("clientId"), "tenant-a");
  EXPECT_EQ(next_message(*feed).at("clientId"), "tenant-b");
}

TEST_F(FeedAuthTest, TheTokenMayComeAsABearerHeader) {
  HeaderFeed feed(server_.endpoint(), "/ws/dashboard?client_id=tenant-a", "Bearer token-a");
  ASSERT_TRUE(feed.open()) << "handshake answered " << feed.handshake_status();
  create("tenant-b", "call-b");
  create("tenant-a", "sentinel");
  const auto message = feed.read();
  EXPECT_EQ(message.at("clientId"), "tenant-a");
  EXPECT_EQ(message.at("call").at("id"), "sentinel");
}

TEST_F(FeedAuthTest, TheAdminTokenMayComeAsABearerHeaderForTheUnscopedFeed) {
  HeaderFeed feed(server_.endpoint(), "/ws/dashboard", "bearer admin-token");
  ASSERT_TRUE(feed.open()) << "handshake answered " << feed.handshake_status();
  create("tenant-b", "call-b");
  EXPECT_EQ(feed.read().at("clientId"), "tenant-b");
}

TEST_F(FeedAuthTest, AWrongBearerHeaderIsRefusedWith401) {
  HeaderFeed other_tenant(server_.endpoint(), "/ws/dashboard?client_id=tenant-a", "Bearer token-b");
  EXPECT_FALSE(other_tenant.open());
  EXPECT_EQ(other_tenant.handshake_status(), 401u);
  HeaderFeed unscoped(server_.endpoint(), "/ws/dashboard", "Bearer token-a");
  EXPECT_FALSE(unscoped.open());
  EXPECT_EQ(unscoped.handshake_status(), 401u);
}

TEST(FeedOpenAccessTest, WithoutDashboardTokensTheUnscopedFeedIsOpen) {
  AccessConfig config;
  config.tenants["legacy"].webhook_secrets = {"legacy-secret"};
  TestServer server(server::ServerOptions{}, SyncMode::full, config);
  auto http = server.client();
  auto feed = server.feed("/ws/dashboard");
  ASSERT_EQ(http.post("/api/debug/create-test-call/legacy", R"({"call_id": "c1"})").status, 200u);
  EXPECT_EQ(next_message(*feed).at("call").at("id"), "c1");
}

}  // namespace
}  // namespace vapidash::test
