// Browsers on other origins: real preflights and cross-origin requests over sockets, as a Vite dev server's
// page or an nginx-served dashboard sends them.
#include <gtest/gtest.h>

#include "support/raw_exchange.hpp"
#include "support/test_server.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

const std::string vite_origin = "http://localhost:5173";
const std::string listed_origin = "https://dash.example.com";

// Every route of the API with a method it takes, so each one's preflight is checked.
const std::vector<std::pair<std::string, std::string>> every_route{
    {"GET", "/"},
    {"GET", "/healthz"},
    {"GET", "/metrics"},
    {"GET", "/ws/dashboard"},
    {"GET", "/api/demo-client/calls"},
    {"GET", "/api/demo-client/calls/c1"},
    {"POST", "/webhooks/vapi/demo-client"},
    {"POST", "/api/debug/create-test-call/demo-client"},
    {"POST", "/api/debug/log-status-event/demo-client/c1"},
    {"GET", "/api/debug/status-events/demo-client/c1"},
};

RawRequest preflight(const std::string& target, const std::string& origin, const std::string& method) {
  RawRequest request{http::verb::options, target, 11};
  request.set(http::field::origin, origin);
  request.set(http::field::access_control_request_method, method);
  request.set(http::field::access_control_request_headers, "authorization,content-type");
  return request;
}

RawRequest from_origin(http::verb method, const std::string& target, const std::string& origin,
                       std::string body = {}) {
  RawRequest request{method, target, 11};
  request.set(http::field::origin, origin);
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  request.body() = std::move(body);
  return request;
}

std::string header_of(const RawResponse& response, http::field field) {
  return std::string(response[field]);
}

std::string error_code_of(const RawResponse& response) {
  return json::parse(response.body()).at("error").at("code").get<std::string>();
}

server::ServerOptions with_cors(const std::string& origins) {
  server::ServerOptions options;
  options.cors = server::parse_cors_origins(origins);
  return options;
}

std::string own_origin(const TestServer& server) {
  return "http://" + server.endpoint().host + ":" + std::to_string(server.endpoint().port);
}

TEST(CorsAnyOriginTest, EveryRoutesPreflightIsAnsweredWithTheMethodsAndHeadersTheApiUses) {
  TestServer server;
  for (const auto& [method, target] : every_route) {
    const auto answer = raw_exchange(server.endpoint(), preflight(target, vite_origin, method));
    EXPECT_EQ(answer.result_int(), 204u) << target;
    EXPECT_EQ(header_of(answer, http::field::access_control_allow_origin), "*") << target;
    const auto methods = header_of(answer, http::field::access_control_allow_methods);
    EXPECT_NE(methods.find(method), std::string::npos) << target << ": " << methods;
    EXPECT_NE(methods.find("OPTIONS"), std::string::npos) << target << ": " << methods;
    const auto headers = header_of(answer, http::field::access_control_allow_headers);
    EXPECT_NE(headers.find("Authorization"), std::string::npos) << target << ": " << headers;
    EXPECT_NE(headers.find("Content-Type"), std::string::npos) << target << ": " << headers;
    EXPECT_EQ(header_of(answer, http::field::access_control_max_age), "600") << target;
  }
}

TEST(CorsAnyOriginTest, CrossOriginReadsWritesAndErrorsCarryTheAllowOrigin) {
  TestServer server;
  const auto created =
      raw_exchange(server.endpoint(), from_origin(http::verb::post, "/api/debug/create-test-call/demo-client",
                                                  vite_origin, R"({"call_id": "c1"})"));
  EXPECT_EQ(created.result_int(), 200u) << created.body();
  EXPECT_EQ(header_of(created, http::field::access_control_allow_origin), "*");
  const auto listed =
      raw_exchange(server.endpoint(), from_origin(http::verb::get, "/api/demo-client/calls", vite_origin));
  EXPECT_EQ(listed.result_int(), 200u);
  EXPECT_EQ(header_of(listed, http::field::access_control_allow_origin), "*");
  EXPECT_EQ(json::parse(listed.body()).at(0).at("id"), "c1");
  // The page must be able to read an error's body to show it.
  const auto missing = raw_exchange(server.endpoint(),
                                    from_origin(http::verb::get, "/api/demo-client/calls/nope", vite_origin));
  EXPECT_EQ(missing.result_int(), 404u);
  EXPECT_EQ(header_of(missing, http::field::access_control_allow_origin), "*");
}

TEST(CorsAnyOriginTest, APreflightOfAnUnknownPathIsANotFound) {
  TestServer server;
  const auto answer = raw_exchange(server.endpoint(), preflight("/api/nothing-here", vite_origin, "GET"));
  EXPECT_EQ(answer.result_int(), 404u);
  EXPECT_EQ(error_code_of(answer), "not_found");
}

TEST(CorsAnyOriginTest, PlainOptionsListsThePathsMethodsAndA405SaysWhichAreAllowed) {
  TestServer server;
  const auto options =
      raw_exchange(server.endpoint(), RawRequest{http::verb::options, "/webhooks/vapi/demo-client", 11});
  EXPECT_EQ(options.result_int(), 204u);
  EXPECT_EQ(header_of(options, http::field::allow), "POST, OPTIONS");
  const auto refused =
      raw_exchange(server.endpoint(), RawRequest{http::verb::delete_, "/api/demo-client/calls", 11});
  EXPECT_EQ(refused.result_int(), 405u);
  EXPECT_EQ(header_of(refused, http::field::allow), "GET, OPTIONS");
}

TEST(CorsAnyOriginTest, TheFeedOpensFromAnyOrigin) {
  TestServer server;
  auto upgrade = websocket_upgrade("/ws/dashboard");
  upgrade.set(http::field::origin, vite_origin);
  EXPECT_EQ(raw_exchange(server.endpoint(), upgrade).result_int(), 101u);
}

TEST(CorsListedOriginsTest, AListedOriginsPreflightIsAnsweredForThatOriginOnly) {
  TestServer server(with_cors(listed_origin + ", " + vite_origin));
  const auto answer =
      raw_exchange(server.endpoint(), preflight("/api/demo-client/calls", listed_origin, "GET"));
  EXPECT_EQ(answer.result_int(), 204u);
  EXPECT_EQ(header_of(answer, http::field::access_control_allow_origin), listed_origin);
  EXPECT_EQ(header_of(answer, http::field::vary), "Origin");
  EXPECT_NE(header_of(answer, http::field::access_control_allow_headers).find("Authorization"),
            std::string::npos);
}

TEST(CorsListedOriginsTest, AnotherOriginsPreflightIsRefusedAndItsReadsCarryNoAllowOrigin) {
  TestServer server(with_cors(listed_origin));
  const auto answer =
      raw_exchange(server.endpoint(), preflight("/api/demo-client/calls", "https://evil.example", "GET"));
  EXPECT_EQ(answer.result_int(), 403u);
  EXPECT_EQ(error_code_of(answer), "origin_not_allowed");
  EXPECT_EQ(answer.count(http::field::access_control_allow_origin), 0u);
  const auto read = raw_exchange(
      server.endpoint(), from_origin(http::verb::get, "/api/demo-client/calls", "https://evil.example"));
  EXPECT_EQ(read.result_int(), 200u);
  EXPECT_EQ(read.count(http::field::access_control_allow_origin), 0u);
  EXPECT_EQ(header_of(read, http::field::vary), "Origin");
}

TEST(CorsListedOriginsTest, TheFeedChecksOriginButAdmitsNonBrowsersAndTheServersOwnPage) {
  TestServer server(with_cors(listed_origin));
  auto foreign = websocket_upgrade("/ws/dashboard");
  foreign.set(http::field::origin, "https://evil.example");
  const auto refused = raw_exchange(server.endpoint(), foreign);
  EXPECT_EQ(refused.result_int(), 403u);
  EXPECT_EQ(error_code_of(refused), "origin_not_allowed");

  auto listed = websocket_upgrade("/ws/dashboard?client_id=demo-client");
  listed.set(http::field::origin, listed_origin);
  EXPECT_EQ(raw_exchange(server.endpoint(), listed).result_int(), 101u);
  EXPECT_EQ(raw_exchange(server.endpoint(), websocket_upgrade("/ws/dashboard")).result_int(), 101u);
  auto own_page = websocket_upgrade("/ws/dashboard");
  own_page.set(http::field::origin, own_origin(server));
  EXPECT_EQ(raw_exchange(server.endpoint(), own_page).result_int(), 101u);
}

TEST(CorsOffTest, NoCorsHeaderIsSentAndPreflightsGetOnlyAllow) {
  TestServer server(with_cors("none"));
  const auto answer =
      raw_exchange(server.endpoint(), preflight("/api/demo-client/calls", vite_origin, "GET"));
  EXPECT_EQ(answer.result_int(), 204u);
  EXPECT_EQ(header_of(answer, http::field::allow), "GET, OPTIONS");
  EXPECT_EQ(answer.count(http::field::access_control_allow_origin), 0u);
  EXPECT_EQ(answer.count(http::field::access_control_allow_methods), 0u);
  const auto read =
      raw_exchange(server.endpoint(), from_origin(http::verb::get, "/api/demo-client/calls", vite_origin));
  EXPECT_EQ(read.count(http::field::access_control_allow_origin), 0u);
}

}  // namespace
}  // namespace vapidash::test
