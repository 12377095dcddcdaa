// The request log as an operator reads it: `vapidash serve` run as a child process, its stderr read line by
// line while requests go to it over one keep-alive connection (so each request's line is written before the
// next request is read).
#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <functional>

#include "support/child_process.hpp"
#include "support/files.hpp"
#include "support/serve_banner.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/client/http_client.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

const std::string webhook_secret = "whsec-do-not-log-9f3a";
const std::string feed_token = "tok-do-not-log-41c2";

class ServeRequestLogTest : public ::testing::Test {
 protected:
  void start(const std::string& level, const std::string& format = "text") {
    serve_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", dir_.file("log.db"), "--webhook-secret",
        webhook_secret, "--log-level", level, "--log-format", format});
    endpoint_ = served_endpoint(serve_->wait_for_stdout_line("serving http://", 30s));
    http_ = std::make_unique<HttpClient>(endpoint_, 10s);
  }

  HttpResponse webhook(const std::string& body, const std::string& secret = webhook_secret) {
    return http_->post("/webhooks/vapi/demo-client", body, {{"x-vapi-secret", secret}});
  }

  // Stops the server and returns everything it wrote to stderr.
  std::string stop() {
    serve_->signal(SIGTERM);
    EXPECT_EQ(serve_->wait(15s), 0);
    return serve_->err();
  }

  TempDir dir_;
  std::unique_ptr<ChildProcess> serve_;
  Endpoint endpoint_;
  std::unique_ptr<HttpClient> http_;
};

TEST_F(ServeRequestLogTest, AtDebugEveryRequestAndWhatEachWebhookDidIsOneLine) {
  start("debug");
  ASSERT_EQ(http_->get("/api/demo-client/calls?token=" + feed_token).status, 200u);
  const auto read = serve_->wait_for_stderr_line("GET /api/demo-client/calls?token=REDACTED 200 ", 10s);
  EXPECT_NE(read.find(" debug "), std::string::npos) << read;
  EXPECT_NE(read.find("[server]"), std::string::npos) << read;

  const auto ringing = read_text(examples_dir + "/status-update-ringing.json");
  const auto call_id = json::parse(ringing).at("message").at("call").at("id").get<std::string>();
  ASSERT_EQ(webhook(ringing).status, 200u);
  EXPECT_NE(serve_->wait_for_stderr_line("POST /webhooks/vapi/demo-client 200 ", 10s)
                .find("webhook status-update call=" + call_id + " stored"),
            std::string::npos);
  ASSERT_EQ(webhook(ringing).status, 200u);
  EXPECT_NE(serve_->wait_for_stderr_line("POST /webhooks/vapi/demo-client 200 ", 10s)
                .find("webhook status-update call=" + call_id + " duplicate"),
            std::string::npos);
  ASSERT_EQ(webhook(R"({"message": {"type": "chat.created"}})").status, 200u);
  EXPECT_NE(serve_->wait_for_stderr_line("POST /webhooks/vapi/demo-client 200 ", 10s)
                .find("webhook chat.created ignored: the message has no call.id"),
            std::string::npos);

  const auto log = stop();
  EXPECT_EQ(log.find(feed_token), std::string::npos) << log;
  EXPECT_EQ(log.find(webhook_secret), std::string::npos) << log;
}

TEST_F(ServeRequestLogTest, AtInfoOnlyRejectedWebhooksAreLoggedWithTheReason) {
  start("info");
  ASSERT_EQ(http_->get("/healthz").status, 200u);
  ASSERT_EQ(webhook(R"({"message": {"type": "status-update"}})", "wrong-secret").status, 401u);
  const auto rejected = serve_->wait_for_stderr_line("POST /webhooks/vapi/demo-client 401 ", 10s);
  EXPECT_NE(rejected.find(" info "), std::string::npos) << rejected;
  EXPECT_NE(
      rejected.find("webhook unknown rejected: the webhook credential for tenant demo-client is not valid"),
      std::string::npos)
      << rejected;
  ASSERT_EQ(webhook(R"({"msg": {}})").status, 400u);
  EXPECT_NE(serve_->wait_for_stderr_line("POST /webhooks/vapi/demo-client 400 ", 10s)
                .find("rejected: the body must be {\"message\""),
            std::string::npos);

  // A body over the limit is refused before it is read, and said at info too.
  const auto oversize =
      http_->post("/api/debug/create-test-call/demo-client", std::string(2 * 1024 * 1024, 'x'));
  ASSERT_EQ(oversize.status, 413u);
  EXPECT_NE(
      serve_->wait_for_stderr_line("POST /api/debug/create-test-call/demo-client 413 ", 10s).find(" info "),
      std::string::npos);

  const auto log = stop();
  EXPECT_EQ(log.find("GET /healthz"), std::string::npos) << log;
  EXPECT_EQ(log.find("wrong-secret"), std::string::npos) << log;
}

TEST_F(ServeRequestLogTest, AStreamedListIsLoggedWithTheBytesOfItsBody) {
  start("debug");
  for (const auto* id : {"c1", "c2", "c3"}) {
    ASSERT_EQ(http_->post("/api/debug/create-test-call/demo-client", json{{"call_id", id}}.dump()).status,
              200u);
  }
  const auto list = http_->get("/api/demo-client/calls");
  ASSERT_EQ(list.status, 200u);
  ASSERT_EQ(list.json_body().size(), 3u);
  serve_->wait_for_stderr_line("GET /api/demo-client/calls 200 " + std::to_string(list.body.size()) + "B ",
                               10s);
  stop();
}

// A dashboard's socket, spoken to byte by byte so it can leave the way browsers and networks do.
class RawDashboard {
 public:
  explicit RawDashboard(const Endpoint& endpoint) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address(endpoint.host), endpoint.port));
    net::write(socket_,
               net::buffer(std::string("GET /ws/dashboard HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                       "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")));
    std::string answer;
    net::read_until(socket_, net::dynamic_buffer(answer), "\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 101", 0), 0u) << answer;
  }

  // A masked close frame with code 1000 (normal closure), as a browser sends it.
  void send_close() {
    const std::array<unsigned char, 8> frame{0x88, 0x82, 'm', 'a', 's', 'k', 0x03 ^ 'm', 0xe8 ^ 'a'};
    net::write(socket_, net::buffer(frame));
  }
  void reset() {
    socket_.set_option(net::socket_base::linger(true, 0));
    socket_.close();
  }
  void hang_up() {
    socket_.shutdown(tcp::socket::shutdown_both);
    socket_.close();
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
};

TEST_F(ServeRequestLogTest, ADashboardClosingNormallyIsNoWarning) {
  start("debug");
  const std::vector<std::pair<std::string, std::function<void(RawDashboard&)>>> ways_to_leave{
      {"close frame, then hang up",
       [](RawDashboard& dashboard) {
         dashboard.send_close();
         dashboard.hang_up();
       }},
      {"close frame, then reset",
       [](RawDashboard& dashboard) {
         dashboard.send_close();
         dashboard.reset();
       }},
      {"hang up", [](RawDashboard& dashboard) { dashboard.hang_up(); }},
      {"reset (tab killed, network gone)", [](RawDashboard& dashboard) { dashboard.reset(); }},
  };
  for (const auto& [way, leave] : ways_to_leave) {
    RawDashboard dashboard(endpoint_);
    leave(dashboard);
    const auto line = serve_->wait_for_stderr_line("[server] feed ", 10s);
    EXPECT_NE(line.find(" debug "), std::string::npos) << way << ": " << line;
  }
  const auto log = stop();
  EXPECT_EQ(log.find(" warn "), std::string::npos) << log;
}

TEST_F(ServeRequestLogTest, JsonLogsCarryTheSameLineAsOneObject) {
  start("debug", "json");
  ASSERT_EQ(http_->get("/healthz").status, 200u);
  const auto line = serve_->wait_for_stderr_line("GET /healthz 200", 10s);
  const auto object = json::parse(line);
  EXPECT_EQ(object.at("level"), "debug");
  EXPECT_EQ(object.at("logger"), "server");
  EXPECT_EQ(object.at("message").get<std::string>().rfind("GET /healthz 200 11B ", 0), 0u) << line;
  stop();
}

}  // namespace
}  // namespace vapidash::test
