#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "vapidash/client/http_client.hpp"
#include "vapidash/error.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

// What the scripted server does with one request.
enum class Reply {
  answer,             // 200, and the connection stays open
  answer_then_close,  // 200 without "Connection: close", then the server closes the idle connection
  hang_up,            // closes the connection without answering, as a server that crashed mid-request
};

// An HTTP server that follows a script, one connection at a time, and records every request it reads.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<Reply> script)
      : script_(std::move(script)), acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { serve(); });
  }
  // A script the client did not finish leaves the server waiting in accept: a last connection wakes it.
  ~ScriptedServer() {
    stopping_ = true;
    tcp::socket wake(ioc_);
    beast::error_code ignored;
    wake.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  Endpoint endpoint() const { return {"127.0.0.1", acceptor_.local_endpoint().port()}; }

  // "METHOD target" of every request read so far, across connections.
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // Ready once the server has closed the connection after its `answer_then_close` reply.
  std::future<void> closed_idle_connection() { return closed_.get_future(); }

 private:
  void serve() {
    std::size_t next = 0;
    while (next < script_.size()) {
      tcp::socket socket(ioc_);
      beast::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      beast::flat_buffer buffer;
      while (next < script_.size()) {
        http::request<http::string_body> request;
        http::read(socket, buffer, request, ec);
        if (ec) break;
        record(request);
        const auto reply = script_[next++];
        if (reply == Reply::hang_up) break;
        http::response<http::string_body> response{http::status::ok, 11};
        response.set(http::field::content_type, "application/json");
        response.body() = R"({"ok":true})";
        response.prepare_payload();
        http::write(socket, response, ec);
        if (reply == Reply::answer_then_close) {
          socket.close(ec);
          closed_.set_value();
          break;
        }
      }
    }
  }

  void record(const http::request<http::string_body>& request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::string(request.method_string()) + " " + std::string(request.target()));
  }

  std::vector<Reply> script_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::promise<void> closed_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

TEST(HttpClientTest, APostWhoseAnswerIsLostIsReportedAndNeverSentAgain) {
  ScriptedServer server({Reply::answer, Reply::hang_up, Reply::answer});
  HttpClient client(server.endpoint(), 10s);
  ASSERT_EQ(client.get("/healthz").status, 200u);
  EXPECT_THROW(client.post("/api/debug/create-test-call/demo", "{}"), connection_error);
  ASSERT_EQ(client.get("/after").status, 200u);  // the next request reconnects
  EXPECT_EQ(server.requests(), (std::vector<std::string>{
                                   "GET /healthz", "POST /api/debug/create-test-call/demo", "GET /after"}));
}

TEST(HttpClientTest, APostAfterTheServerClosedTheIdleConnectionGoesOnceOnAFreshOne) {
  ScriptedServer server({Reply::answer_then_close, Reply::answer});
  auto closed = server.closed_idle_connection();
  HttpClient client(server.endpoint(), 10s);
  ASSERT_EQ(client.get("/healthz").status, 200u);
  ASSERT_EQ(closed.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(client.post("/webhooks/vapi/demo", "{}").status, 200u);
  EXPECT_EQ(server.requests(), (std::vector<std::string>{"GET /healthz", "POST /webhooks/vapi/demo"}));
}

TEST(HttpClientTest, AGetWhoseConnectionDiedIsRetriedOnceOnAFreshOne) {
  ScriptedServer server({Reply::answer, Reply::hang_up, Reply::answer});
  HttpClient client(server.endpoint(), 10s);
  ASSERT_EQ(client.get("/api/demo/calls").status, 200u);
  EXPECT_EQ(client.get("/api/demo/calls").status, 200u);
  EXPECT_EQ(server.requests(),
            (std::vector<std::string>{"GET /api/demo/calls", "GET /api/demo/calls", "GET /api/demo/calls"}));
}

}  // namespace
}  // namespace vapidash::test
