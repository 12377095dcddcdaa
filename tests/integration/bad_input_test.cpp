#include <gtest/gtest.h>

#include "support/files.hpp"
#include "support/store_snapshot.hpp"
#include "support/test_server.hpp"
#include "vapidash/net/net.hpp"

namespace vapidash::test {
namespace {

struct BadRequest {
  const char* name;
  http::verb method;
  std::string target;
  std::string body;
  unsigned status;
  const char* code;
};

void PrintTo(const BadRequest& c, std::ostream* os) {
  *os << c.name;
}

class BadInputTest : public ServerTest, public ::testing::WithParamInterface<BadRequest> {
 protected:
  // A row in every table for a bad request to change: a debug call, and a webhook call with a transcript
  // line, a report and its deliveries.
  void SetUp() override {
    ASSERT_EQ(http_.post("/api/debug/create-test-call/demo-client", R"({"call_id": "c1"})").status, 200u);
    for (const char* file : {"transcript-final.json", "end-of-call-report.json"}) {
      const auto stored = http_.post("/webhooks/vapi/demo-client", read_text(examples_dir + "/" + file));
      ASSERT_EQ(stored.status, 200u) << file << ": " << stored.body;
    }
  }
};

TEST_P(BadInputTest, IsRejectedWithTheErrorBodyAndChangesNothing) {
  const auto& c = GetParam();
  const auto before = store_snapshot(server_.db_path());
  const auto response = http_.request(c.method, c.target, c.body);
  EXPECT_EQ(response.status, c.status) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  const auto body = response.json_body();
  EXPECT_EQ(body.at("ok"), false);
  EXPECT_EQ(body.at("error").at("code"), c.code);
  EXPECT_FALSE(body.at("error").at("message").get<std::string>().empty());
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

const std::string create = "/api/debug/create-test-call/demo-client";
const std::string log_event = "/api/debug/log-status-event/demo-client/c1";
const std::string too_long_id(129, 'a');

INSTANTIATE_TEST_SUITE_P(
    Requests, BadInputTest,
    ::testing::Values(
        BadRequest{"malformed_json", http::verb::post, create, R"({"call_id": )", 400, "invalid_json"},
        BadRequest{"not_an_object", http::verb::post, create, R"(["c1"])", 400, "invalid_json"},
        BadRequest{"string_body", http::verb::post, create, R"("c1")", 400, "invalid_json"},
        BadRequest{"status_number", http::verb::post, create, R"({"call_id": "c1", "status": 5})", 400,
                   "invalid_field"},
        BadRequest{"status_empty", http::verb::post, create, R"({"call_id": "c1", "status": ""})", 400,
                   "invalid_field"},
        BadRequest{"call_id_number", http::verb::post, create, R"({"call_id": 7})", 400, "invalid_field"},
        BadRequest{"phone_array", http::verb::post, create, R"({"call_id": "c1", "phone_number": []})", 400,
                   "invalid_field"},
        BadRequest{"payload_string", http::verb::post, create, R"({"call_id": "c1", "event_payload": "x"})",
                   400, "invalid_field"},
        BadRequest{"call_id_invalid", http::verb::post, create, R"({"call_id": "c 1"})", 400,
                   "invalid_identifier"},
        BadRequest{"call_id_too_long", http::verb::post, create, R"({"call_id": ")" + too_long_id + R"("})",
                   400, "invalid_identifier"},
        BadRequest{"client_id_invalid", http::verb::post, "/api/debug/create-test-call/bad%20tenant", "{}",
                   400, "invalid_identifier"},
        BadRequest{"client_id_too_long", http::verb::post, "/api/debug/create-test-call/" + too_long_id, "{}",
                   400, "invalid_identifier"},
        BadRequest{"non_utf8", http::verb::post, create, "{\"call_id\": \"c1\", \"status\": \"\xff\xfe\"}",
                   400, "invalid_json"},
        BadRequest{"event_without_status", http::verb::post, log_event, R"({"payload": {}})", 400,
                   "invalid_field"},
        BadRequest{"event_empty_body", http::verb::post, log_event, "", 400, "invalid_field"},
        BadRequest{"event_payload_array", http::verb::post, log_event, R"({"status": "x", "payload": [1]})",
                   400, "invalid_field"},
        BadRequest{"event_call_id_invalid", http::verb::post, "/api/debug/log-status-event/demo-client/a%2Fb",
                   R"({"status": "x"})", 400, "invalid_identifier"},
        BadRequest{"unknown_route", http::verb::post, "/api/debug/nope/demo-client", "{}", 404, "not_found"},
        BadRequest{"wrong_method_get", http::verb::get, create, "", 405, "method_not_allowed"},
        BadRequest{"wrong_method_delete", http::verb::delete_, "/api/demo-client/calls", "", 405,
                   "method_not_allowed"},
        BadRequest{"limit_zero", http::verb::get, "/api/demo-client/calls?limit=0", "", 400, "invalid_field"},
        BadRequest{"limit_too_big", http::verb::get, "/api/demo-client/calls?limit=10001", "", 400,
                   "invalid_field"},
        BadRequest{"limit_not_a_number", http::verb::get, "/api/demo-client/calls?limit=ten", "", 400,
                   "invalid_field"},
        BadRequest{"before_garbage", http::verb::get, "/api/demo-client/calls?before=yesterday", "", 400,
                   "invalid_field"},
        BadRequest{"oversize_body", http::verb::post, create,
                   R"({"call_id": "c1", "phone_number": ")" + std::string(1024 * 1024, '1') + R"("})", 413,
                   "body_too_large"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST_F(ServerTest, DeeplyNestedPayloadIsRejectedWithoutCrashing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto before = store_snapshot(server_.db_path());
  const auto response = http_.post("/api/debug/create-test-call/demo-client",
                                   R"({"call_id": "deep", "event_payload": {"x": )" + deep + "}}");
  EXPECT_EQ(response.status, 400u);
  EXPECT_EQ(response.json_body().at("error").at("code"), "invalid_json");
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

TEST_F(ServerTest, ModeratelyNestedPayloadRoundTrips) {
  const std::string nested = std::string(100, '[') + std::string(100, ']');
  ASSERT_EQ(http_
                .post("/api/debug/create-test-call/demo-client",
                      R"({"call_id": "nested", "event_payload": {"x": )" + nested + "}}")
                .status,
            200u);
  const auto events = http_.get("/api/debug/status-events/demo-client/nested").json_body();
  EXPECT_EQ(events.at(0).at("payload").at("x"), json::parse(nested));
}

TEST_F(ServerTest, GarbageThatIsNotHttpGetsA400AndTheServerStaysUp) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address(server_.endpoint().host), server_.endpoint().port));
  net::write(socket, net::buffer(std::string("HELLO THERE\r\n\r\n")));
  std::string reply;
  beast::error_code ec;
  std::array<char, 1024> buffer{};
  while (!ec) {
    const auto n = socket.read_some(net::buffer(buffer), ec);
    reply.append(buffer.data(), n);
  }
  EXPECT_NE(reply.find("400 Bad Request"), std::string::npos) << reply;
  EXPECT_EQ(http_.get("/healthz").status, 200u);
}

TEST_F(ServerTest, PlainGetOfTheFeedExplainsItIsAWebSocket) {
  const auto response = http_.get("/ws/dashboard");
  EXPECT_EQ(response.status, 426u);
  EXPECT_EQ(response.json_body().at("error").at("code"), "upgrade_required");
}

}  // namespace
}  // namespace vapidash::test
