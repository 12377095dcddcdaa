// The clients against a real server behind a real reverse proxy: https with a CA made for the test,
// certificate and host name checks, --insecure, and a path prefix for the API and the feed.
#include <gtest/gtest.h>

#include <fstream>

#include "support/reverse_proxy.hpp"
#include "support/temp_dir.hpp"
#include "support/test_server.hpp"
#include "support/test_tls.hpp"
#include "vapidash/client/api_client.hpp"
#include "vapidash/client/feed_client.hpp"
#include "vapidash/error.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

std::string error_of(const std::function<void()>& attempt) {
  try {
    attempt();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

class TlsClientTest : public ServerTest {
 protected:
  TlsClientTest() { std::ofstream(ca_file_) << ca_.cert_pem(); }

  ReverseProxy& proxy(const std::vector<std::string>& names, std::string prefix = "") {
    proxy_.emplace(ReverseProxy::Options{server_.endpoint(), std::move(prefix), ca_.issue(names)});
    return *proxy_;
  }
  ServerUrl proxy_url(const std::string& host = "127.0.0.1") const {
    return parse_server_url(proxy_->url(host));
  }
  TlsOptions trusting_the_ca() const { return TlsOptions{true, ca_file_}; }

  TestCa ca_;
  TempDir dir_;
  std::string ca_file_ = dir_.file("ca.pem");
  std::optional<ReverseProxy> proxy_;
};

TEST_F(TlsClientTest, HttpsReachesTheServerWhenTheCaIsTrusted) {
  proxy({"127.0.0.1"});
  HttpClient client(proxy_url(), 10s, trusting_the_ca());
  const auto response = client.get("/healthz");
  EXPECT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(client.get("/healthz").status, 200u) << "a second request on the kept-alive TLS connection";
  EXPECT_EQ(proxy_->targets(), (std::vector<std::string>{"/healthz", "/healthz"}));
}

TEST_F(TlsClientTest, SendsTheHostNameAsSniAndChecksItInTheCertificate) {
  proxy({"localhost"});
  HttpClient client(proxy_url("localhost"), 10s, trusting_the_ca());
  EXPECT_EQ(client.get("/healthz").status, 200u);
  EXPECT_EQ(proxy_->server_names(), std::vector<std::string>{"localhost"});
}

TEST_F(TlsClientTest, AnUntrustedCertificateIsRefusedBeforeAnyRequestIsSent) {
  proxy({"127.0.0.1"});
  HttpClient client(proxy_url(), 10s, TlsOptions{});  // the system's CAs, which never signed the test CA
  const auto message = error_of([&] { client.get("/healthz"); });
  EXPECT_NE(message.find("cannot verify the TLS certificate of " + proxy_->url()), std::string::npos)
      << message;
  EXPECT_NE(message.find("local issuer certificate"), std::string::npos) << message;
  EXPECT_THROW(client.get("/healthz"), certificate_error);
  EXPECT_TRUE(proxy_->targets().empty());
}

TEST_F(TlsClientTest, ACertificateForAnotherHostIsRefused) {
  proxy({"vapidash.test", "10.9.8.7"});
  HttpClient by_name(proxy_url("localhost"), 10s, trusting_the_ca());
  const auto by_name_error = error_of([&] { by_name.get("/healthz"); });
  EXPECT_NE(by_name_error.find("hostname mismatch"), std::string::npos) << by_name_error;

  HttpClient by_address(proxy_url("127.0.0.1"), 10s, trusting_the_ca());
  const auto by_address_error = error_of([&] { by_address.get("/healthz"); });
  EXPECT_NE(by_address_error.find("IP address mismatch"), std::string::npos) << by_address_error;
  EXPECT_THROW(by_address.get("/healthz"), certificate_error);
  EXPECT_TRUE(proxy_->targets().empty());
}

TEST_F(TlsClientTest, WithoutVerificationAnyCertificateIsAccepted) {
  proxy({"vapidash.test"});
  HttpClient client(proxy_url(), 10s, TlsOptions{false, ""});
  EXPECT_EQ(client.get("/healthz").status, 200u);
}

TEST_F(TlsClientTest, HttpsToAPlainHttpServerSaysToUseHttp) {
  auto plain = parse_server_url("https://127.0.0.1:" + std::to_string(server_.endpoint().port));
  HttpClient client(plain, 10s, trusting_the_ca());
  const auto message = error_of([&] { client.get("/healthz"); });
  EXPECT_NE(message.find("does not speak TLS; if it serves plain HTTP, use http://"), std::string::npos)
      << message;
}

TEST_F(TlsClientTest, ACaFileThatIsNotPemIsInvalidInput) {
  proxy({"127.0.0.1"});
  std::ofstream(dir_.file("junk.pem")) << "not a certificate\n";
  HttpClient client(proxy_url(), 10s, TlsOptions{true, dir_.file("junk.pem")});
  try {
    client.get("/healthz");
    FAIL() << "a junk CA file was accepted";
  } catch (const invalid_input& e) {
    EXPECT_EQ(e.code(), "invalid_cacert");
    EXPECT_NE(std::string(e.what()).find(dir_.file("junk.pem")), std::string::npos) << e.what();
  }
}

TEST_F(TlsClientTest, ThePrefixIsPrependedToEveryApiRequest) {
  proxy({"127.0.0.1"}, "/team/vapidash");
  ApiClient api(proxy_url(), 10s, std::nullopt, trusting_the_ca());
  api.create_test_call("demo", {{"call_id", "p1"}, {"status", "ringing"}});
  const auto calls = api.list_calls("demo", CallListQuery{});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls.front().id, "p1");
  EXPECT_EQ(api.call_detail("demo", "p1").call.status, "ringing");
  EXPECT_EQ(proxy_->targets(),
            (std::vector<std::string>{"/team/vapidash/api/debug/create-test-call/demo",
                                      "/team/vapidash/api/demo/calls", "/team/vapidash/api/demo/calls/p1"}));
}

TEST_F(TlsClientTest, TheFeedRunsOverWssUnderThePrefix) {
  proxy({"127.0.0.1"}, "/vapidash");
  FeedClient feed(proxy_url(), "/ws/dashboard?client_id=demo", 10s, trusting_the_ca());
  feed.connect();
  ASSERT_EQ(http_.post("/api/debug/create-test-call/demo", R"({"call_id": "w1"})").status, 200u);
  const auto message = next_message(feed);
  EXPECT_EQ(message.at("call").at("id"), "w1");
  feed.close();
  EXPECT_EQ(proxy_->targets(), std::vector<std::string>{"/vapidash/ws/dashboard?client_id=demo"});
}

TEST_F(TlsClientTest, TheFeedRefusesAnUntrustedCertificate) {
  proxy({"127.0.0.1"});
  FeedClient feed(proxy_url(), "/ws/dashboard", 10s, TlsOptions{});
  EXPECT_THROW(feed.connect(), certificate_error);
  EXPECT_TRUE(proxy_->targets().empty());
}

TEST(PlainPrefix, HttpRequestsAndTheFeedGoUnderThePrefix) {
  TestServer server;
  ReverseProxy proxy({server.endpoint(), "/vapidash", std::nullopt});
  const auto url = parse_server_url(proxy.url());
  ApiClient api(url, 10s);
  api.create_test_call("demo", {{"call_id", "h1"}});
  FeedClient feed(url, "/ws/dashboard", 10s);
  feed.connect();
  api.create_test_call("demo", {{"call_id", "h2"}});
  EXPECT_EQ(next_message(feed).at("call").at("id"), "h2");
  EXPECT_EQ(proxy.targets(),
            (std::vector<std::string>{"/vapidash/api/debug/create-test-call/demo", "/vapidash/ws/dashboard",
                                      "/vapidash/api/debug/create-test-call/demo"}));
}

}  // namespace
}  // namespace vapidash::test
