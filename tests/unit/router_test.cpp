#include "vapidash/server/router.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "vapidash/error.hpp"
#include "vapidash/server/responses.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

using server::FeedScope;
using server::Request;
using server::Respond;
using server::Response;
using server::RouteContext;
using server::Router;

Request request(http::verb method, std::string target) {
  return Request{method, target, 11};
}

Request upgrade(std::string target) {
  auto req = request(http::verb::get, std::move(target));
  req.set(http::field::connection, "upgrade");
  req.set(http::field::upgrade, "websocket");
  return req;
}

// Answers with `text` as the body, so a test sees which handler ran.
server::Handler answer(std::string text) {
  return [text = std::move(text)](const RouteContext&, Respond respond) {
    respond(server::text_response(http::status::ok, "text/plain", text));
  };
}

template <class Error>
server::Handler thrower(Error error) {
  return [error = std::move(error)](const RouteContext&, Respond) { throw error; };
}

// The one response `router` gives `req`; the handlers here all answer before handle() returns.
Response handle(const Router& router, const Request& req) {
  std::vector<Response> responses;
  router.handle(req, [&responses](server::Reply reply) { responses.push_back(std::move(reply.response)); });
  EXPECT_EQ(responses.size(), 1u) << "respond must be called exactly once";
  return responses.empty() ? Response{} : std::move(responses.front());
}

std::string error_code(const Response& response) {
  return json::parse(response.body()).at("error").at("code").get<std::string>();
}

std::string error_message(const Response& response) {
  return json::parse(response.body()).at("error").at("message").get<std::string>();
}

TEST(Router, DispatchesByMethodAndPath) {
  Router router;
  router.add(http::verb::get, "/", answer("index"));
  router.add(http::verb::get, "/things", answer("list"));
  router.add(http::verb::post, "/things", answer("create"));
  router.add(http::verb::get, "/things/count", answer("count"));

  EXPECT_EQ(handle(router, request(http::verb::get, "/")).body(), "index");
  EXPECT_EQ(handle(router, request(http::verb::get, "/things")).body(), "list");
  EXPECT_EQ(handle(router, request(http::verb::post, "/things")).body(), "create");
  EXPECT_EQ(handle(router, request(http::verb::get, "/things/count")).body(), "count");
  EXPECT_EQ(handle(router, request(http::verb::get, "/things?limit=3")).body(), "list");
}

TEST(Router, HandsPathParametersByName) {
  Router router;
  std::optional<std::pair<std::string, std::string>> seen;
  router.add(http::verb::get, "/api/{client_id}/calls/{call_id}",
             [&seen](const RouteContext& ctx, Respond respond) {
               seen.emplace(ctx.param("client_id"), ctx.param("call_id"));
               respond(server::text_response(http::status::ok, "text/plain", ""));
             });

  EXPECT_EQ(handle(router, request(http::verb::get, "/api/acme/calls/call-1")).result(), http::status::ok);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->first, "acme");
  EXPECT_EQ(seen->second, "call-1");
}

TEST(Router, DecodesPathParameters) {
  Router router;
  std::string seen;
  router.add(http::verb::get, "/api/{client_id}", [&seen](const RouteContext& ctx, Respond respond) {
    seen = ctx.param("client_id");
    respond(server::text_response(http::status::ok, "text/plain", ""));
  });

  handle(router, request(http::verb::get, "/api/tenant%3Aa"));
  EXPECT_EQ(seen, "tenant:a");
}

TEST(Router, AnUnknownParameterNameIsAProgrammingError) {
  Router router;
  bool threw_logic_error = false;
  router.add(http::verb::get, "/api/{client_id}", [&](const RouteContext& ctx, Respond respond) {
    try {
      ctx.param("call_id");
    } catch (const std::logic_error&) {
      threw_logic_error = true;
    }
    respond(server::text_response(http::status::ok, "text/plain", ""));
  });

  handle(router, request(http::verb::get, "/api/acme"));
  EXPECT_TRUE(threw_logic_error);
}

TEST(Router, AnUnknownPathIs404) {
  Router router;
  router.add(http::verb::get, "/things", answer("list"));

  for (const auto* target : {"/nothing", "/things/extra", "/", "/Things"}) {
    const auto response = handle(router, request(http::verb::get, target));
    EXPECT_EQ(response.result(), http::status::not_found) << target;
    EXPECT_EQ(error_code(response), "not_found") << target;
  }
  EXPECT_EQ(error_message(handle(router, request(http::verb::get, "/nothing"))),
            "no route /nothing; see the README for the endpoints");
}

TEST(Router, AKnownPathWithAnotherMethodIs405) {
  Router router;
  router.add(http::verb::get, "/things/{id}", answer("show"));

  const auto response = handle(router, request(http::verb::delete_, "/things/a"));
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_EQ(json::parse(response.body()), json::parse(R"({"ok": false, "error": {"code": "method_not_allowed",
                            "message": "DELETE is not allowed on /things/a"}})"));
}

TEST(Router, APathParameterMustBeAnIdentifier) {
  Router router;
  bool ran = false;
  router.add(http::verb::get, "/api/{client_id}/calls", [&ran](const RouteContext&, Respond) { ran = true; });

  for (const auto* target : {"/api/bad%20id/calls", "/api/caf%C3%A9/calls", "/api//calls"}) {
    const auto response = handle(router, request(http::verb::get, target));
    EXPECT_EQ(response.result(), http::status::bad_request) << target;
    EXPECT_EQ(error_code(response), "invalid_identifier") << target;
  }
  EXPECT_NE(error_message(handle(router, request(http::verb::get, "/api/bad%20id/calls"))).find("client_id"),
            std::string::npos)
      << "the message names the parameter";
  EXPECT_FALSE(ran);
}

TEST(Router, ATargetThatIsNotAPathIs400) {
  Router router;
  router.add(http::verb::get, "/things", answer("list"));

  const auto response = handle(router, request(http::verb::get, "http://example.com/things"));
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(error_code(response), "invalid_target");
}

TEST(Router, InvalidInputFromAHandlerIs400WithItsCode) {
  Router router;
  router.add(http::verb::post, "/things",
             thrower(invalid_input("invalid_field", "\"name\" must be a string")));

  const auto response = handle(router, request(http::verb::post, "/things"));
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(error_code(response), "invalid_field");
  EXPECT_EQ(error_message(response), "\"name\" must be a string");
}

TEST(Router, AccessDeniedFromAHandlerHasItsStatus) {
  Router router;
  router.add(http::verb::post, "/closed", thrower(access_denied(403, "webhooks_closed", "closed")));
  router.add(http::verb::post, "/guarded", thrower(access_denied(401, "unauthorized", "needs a token")));

  const auto closed = handle(router, request(http::verb::post, "/closed"));
  EXPECT_EQ(closed.result(), http::status::forbidden);
  EXPECT_EQ(error_code(closed), "webhooks_closed");
  const auto guarded = handle(router, request(http::verb::post, "/guarded"));
  EXPECT_EQ(guarded.result(), http::status::unauthorized);
  EXPECT_EQ(error_code(guarded), "unauthorized");
  EXPECT_EQ(error_message(guarded), "needs a token");
}

TEST(Router, AnUnexpectedExceptionIs500WithoutItsText) {
  Router router;
  router.add(http::verb::get, "/broken", thrower(std::runtime_error("secret internals")));

  const auto response = handle(router, request(http::verb::get, "/broken"));
  EXPECT_EQ(response.result(), http::status::internal_server_error);
  EXPECT_EQ(error_code(response), "internal_error");
  EXPECT_EQ(response.body().find("secret internals"), std::string::npos);
}

TEST(Router, TheObserverSeesTheRoutePatternAndStatus) {
  Router router;
  std::vector<std::pair<std::string, unsigned>> seen;
  router.set_observer(
      [&seen](const std::string& route, unsigned status) { seen.emplace_back(route, status); });
  router.add(http::verb::get, "/api/{client_id}/calls", answer("list"));
  router.add(http::verb::post, "/api/{client_id}/calls", thrower(invalid_input("invalid_json", "no")));

  handle(router, request(http::verb::get, "/api/acme/calls"));
  handle(router, request(http::verb::post, "/api/acme/calls"));
  handle(router, request(http::verb::get, "/api/bad%20id/calls"));
  handle(router, request(http::verb::put, "/api/acme/calls"));
  handle(router, request(http::verb::get, "/elsewhere"));

  const std::vector<std::pair<std::string, unsigned>> expected{{"/api/{client_id}/calls", 200},
                                                               {"/api/{client_id}/calls", 400},
                                                               {"/api/{client_id}/calls", 400},
                                                               {"unmatched", 405},
                                                               {"unmatched", 404}};
  EXPECT_EQ(seen, expected);
}

TEST(Router, TheObserverSeesALaterAnswer) {
  Router router;
  std::vector<std::pair<std::string, unsigned>> seen;
  router.set_observer(
      [&seen](const std::string& route, unsigned status) { seen.emplace_back(route, status); });
  Respond pending;
  router.add(http::verb::post, "/slow",
             [&pending](const RouteContext&, Respond respond) { pending = std::move(respond); });

  std::optional<Response> answered;
  router.handle(request(http::verb::post, "/slow"),
                [&answered](server::Reply reply) { answered = std::move(reply.response); });
  EXPECT_FALSE(answered);
  EXPECT_TRUE(seen.empty());

  pending(server::error_response(http::status::service_unavailable, "store_unavailable", "later"));
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->result(), http::status::service_unavailable);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, unsigned>>{{"/slow", 503}}));
}

// A streamed handler whose body is `chunks`, then the end; counts how often its source was called.
server::Handler streaming(std::vector<std::string> chunks, int& calls) {
  return [chunks = std::move(chunks), &calls](const RouteContext&, Respond respond) {
    respond(server::streamed_response(http::status::ok, "application/json",
                                      [chunks, &calls, next = std::size_t{0}](std::string& chunk) mutable {
                                        ++calls;
                                        chunk = next < chunks.size() ? chunks[next++] : std::string();
                                      }));
  };
}

std::string next_chunk(const server::Reply& reply) {
  std::string chunk = "the previous chunk";
  reply.source(chunk);
  return chunk;
}

// The single reply `router` gives `req`, streamed or whole.
server::Reply handle_reply(const Router& router, const Request& req) {
  std::optional<server::Reply> reply;
  router.handle(req, [&reply](server::Reply answer) { reply.emplace(std::move(answer)); });
  EXPECT_TRUE(reply) << "respond must be called";
  return reply ? std::move(*reply) : server::Reply(Response{});
}

TEST(Router, AStreamedReplyArrivesWithItsFirstChunkReadAndIsObservedAndDecorated) {
  Router router;
  std::vector<std::pair<std::string, unsigned>> seen;
  router.set_observer(
      [&seen](const std::string& route, unsigned status) { seen.emplace_back(route, status); });
  int calls = 0;
  router.add(http::verb::get, "/list", streaming({"[1", ",2]"}, calls));

  auto reply = handle_reply(router, request(http::verb::get, "/list"));
  ASSERT_TRUE(reply.streamed());
  EXPECT_EQ(calls, 1) << "the first chunk is read before the reply goes out";
  EXPECT_EQ(reply.response.result(), http::status::ok);
  EXPECT_EQ(reply.response[http::field::content_type], "application/json");
  EXPECT_EQ(reply.response[http::field::access_control_allow_origin], "*");
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, unsigned>>{{"/list", 200}}));
  std::vector<std::string> chunks;
  for (auto chunk = next_chunk(reply); !chunk.empty(); chunk = next_chunk(reply)) chunks.push_back(chunk);
  EXPECT_EQ(chunks, (std::vector<std::string>{"[1", ",2]"}));
  EXPECT_EQ(calls, 3);
}

TEST(Router, AnEmptyStreamedBodyEndsAtOnce) {
  Router router;
  int calls = 0;
  router.add(http::verb::get, "/empty", streaming({}, calls));

  auto reply = handle_reply(router, request(http::verb::get, "/empty"));
  ASSERT_TRUE(reply.streamed());
  EXPECT_EQ(next_chunk(reply), "");
  EXPECT_EQ(calls, 1) << "the source is not asked again once it has ended";
}

TEST(Router, AStreamedBodyThatCannotStartIsAnsweredAsItsError) {
  Router router;
  std::vector<std::pair<std::string, unsigned>> seen;
  router.set_observer(
      [&seen](const std::string& route, unsigned status) { seen.emplace_back(route, status); });
  const auto failing_with = [](auto error) {
    return [error](const RouteContext&, Respond respond) {
      respond(server::streamed_response(http::status::ok, "application/json",
                                        [error](std::string&) { throw error; }));
    };
  };
  router.add(http::verb::get, "/broken", failing_with(store_error("disk I/O error")));
  router.add(http::verb::get, "/refused", failing_with(invalid_input("invalid_field", "no such page")));

  const auto broken = handle_reply(router, request(http::verb::get, "/broken"));
  EXPECT_FALSE(broken.streamed());
  EXPECT_EQ(broken.response.result(), http::status::internal_server_error);
  EXPECT_EQ(error_code(broken.response), "internal_error");
  EXPECT_EQ(broken.response[http::field::access_control_allow_origin], "*");
  const auto refused = handle_reply(router, request(http::verb::get, "/refused"));
  EXPECT_EQ(refused.response.result(), http::status::bad_request);
  EXPECT_EQ(error_code(refused.response), "invalid_field");
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, unsigned>>{{"/broken", 500}, {"/refused", 400}}));
}

class FeedRoute : public ::testing::Test {
 protected:
  FeedRoute() {
    router_.add(http::verb::get, "/healthz", answer("ok"));
    router_.add_feed("/ws/feed", [](const RouteContext& ctx) {
      if (ctx.url.params().contains("deny")) throw access_denied(401, "unauthorized", "needs a token");
      const auto scope = ctx.url.params().find("client_id");
      if (scope == ctx.url.params().end()) return FeedScope{};
      return FeedScope{std::string((*scope).value)};
    });
  }

  Router router_;
};

TEST_F(FeedRoute, AdmitsAnUpgradeWithTheGatesScope) {
  const auto everyone = router_.admit(upgrade("/ws/feed"));
  ASSERT_TRUE(std::holds_alternative<FeedScope>(everyone));
  EXPECT_FALSE(std::get<FeedScope>(everyone).client_id);

  const auto one_tenant = router_.admit(upgrade("/ws/feed?client_id=acme"));
  ASSERT_TRUE(std::holds_alternative<FeedScope>(one_tenant));
  EXPECT_EQ(std::get<FeedScope>(one_tenant).client_id, "acme");
}

TEST_F(FeedRoute, TheGatesRefusalIsTheResponse) {
  const auto refused = router_.admit(upgrade("/ws/feed?deny"));
  ASSERT_TRUE(std::holds_alternative<Response>(refused));
  EXPECT_EQ(std::get<Response>(refused).result(), http::status::unauthorized);
  EXPECT_EQ(error_code(std::get<Response>(refused)), "unauthorized");
}

TEST_F(FeedRoute, AnUpgradeOfAnotherPathIs404NamingTheFeed) {
  for (const auto* target : {"/ws/other", "/healthz"}) {
    const auto refused = router_.admit(upgrade(target));
    ASSERT_TRUE(std::holds_alternative<Response>(refused)) << target;
    EXPECT_EQ(std::get<Response>(refused).result(), http::status::not_found) << target;
    EXPECT_EQ(error_message(std::get<Response>(refused)), "WebSocket feeds are at /ws/feed") << target;
  }
}

TEST_F(FeedRoute, APlainGetIsToldToUpgrade) {
  const auto response = handle(router_, request(http::verb::get, "/ws/feed"));
  EXPECT_EQ(response.result(), http::status::upgrade_required);
  EXPECT_EQ(error_code(response), "upgrade_required");
  EXPECT_EQ(error_message(response), "/ws/feed is a WebSocket feed: connect with a WebSocket client");
  EXPECT_EQ(handle(router_, request(http::verb::post, "/ws/feed")).result(),
            http::status::method_not_allowed);
}

TEST(Router, AFeedPatternMayNameParameters) {
  Router router;
  router.add_feed("/ws/{client_id}",
                  [](const RouteContext& ctx) { return FeedScope{ctx.param("client_id")}; });

  const auto admitted = router.admit(upgrade("/ws/acme"));
  ASSERT_TRUE(std::holds_alternative<FeedScope>(admitted));
  EXPECT_EQ(std::get<FeedScope>(admitted).client_id, "acme");

  const auto refused = router.admit(upgrade("/ws/bad%20id"));
  ASSERT_TRUE(std::holds_alternative<Response>(refused));
  EXPECT_EQ(error_code(std::get<Response>(refused)), "invalid_identifier");
}

}  // namespace
}  // namespace vapidash::test
