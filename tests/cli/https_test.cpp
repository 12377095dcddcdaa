// The binary against a real server behind a real reverse proxy: https with a CA made for the test (--cacert,
// VAPIDASH_CACERT), refused certificates, --insecure, and a path prefix for every command and for tail.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_test_support.hpp"
#include "support/reverse_proxy.hpp"
#include "support/temp_dir.hpp"
#include "support/test_tls.hpp"

namespace vapidash::test::cli {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

class CliHttpsTest : public CliTest {
 protected:
  CliHttpsTest() { std::ofstream(ca_file_) << ca_.cert_pem(); }

  // The proxy in front of server_: https with a certificate for `names` (none: plain http), under `prefix`.
  ReverseProxy& proxy(const std::vector<std::string>& names, std::string prefix = "") {
    std::optional<TestCertificate> certificate;
    if (!names.empty()) certificate = ca_.issue(names);
    proxy_.emplace(ReverseProxy::Options{server_.endpoint(), std::move(prefix), std::move(certificate)});
    return *proxy_;
  }
  CliResult through_proxy(std::vector<std::string> args, std::vector<std::string> env = {},
                          const std::string& host = "127.0.0.1") {
    args.insert(args.begin(), {"--server", proxy_->url(host)});
    return run_vapidash(std::move(args), std::move(env));
  }
  std::vector<std::string> trusting(std::vector<std::string> args) {
    args.insert(args.begin(), {"--cacert", ca_file_});
    return args;
  }

  TestCa ca_;
  TempDir dir_;
  std::string ca_file_ = dir_.file("ca.pem");
  std::optional<ReverseProxy> proxy_;
};

TEST_F(CliHttpsTest, EveryCommandWorksOverHttpsWithTheCaTrusted) {
  proxy({"localhost"});
  const auto call =
      through_proxy(trusting({"call", "demo", "--id", "s1", "--status", "ringing"}), {}, "localhost");
  ASSERT_EQ(call.code, 0) << call.all();
  const auto event = through_proxy(trusting({"event", "demo", "s1", "note"}), {}, "localhost");
  EXPECT_EQ(event.code, 0) << event.all();
  const auto webhook =
      through_proxy(trusting({"webhook", "demo", "status-update", "--call", "s1", "--status", "in-progress"}),
                    {}, "localhost");
  EXPECT_EQ(webhook.code, 0) << webhook.all();
  const auto calls = through_proxy(trusting({"calls", "demo", "-q"}), {}, "localhost");
  EXPECT_EQ(calls.code, 0) << calls.all();
  EXPECT_EQ(calls.out, "s1\n");
  const auto show = through_proxy(trusting({"show", "demo", "s1"}), {}, "localhost");
  EXPECT_EQ(show.code, 0) << show.all();
  EXPECT_THAT(show.out, HasSubstr("in-progress"));
  const auto timeline = through_proxy(trusting({"timeline", "demo", "s1"}), {}, "localhost");
  EXPECT_EQ(timeline.code, 0) << timeline.all();
  EXPECT_THAT(timeline.out, HasSubstr("note"));
  for (const auto* result : {&call, &event, &webhook, &calls, &show, &timeline}) {
    EXPECT_EQ(result->err, "") << result->all();
  }
  EXPECT_EQ(get_json("/api/demo/calls/s1").at("status"), "in-progress");
  EXPECT_EQ(proxy_->server_names().size(), 6u) << "one TLS handshake per command, each naming the host";
  EXPECT_EQ(proxy_->server_names().front(), "localhost");
}

TEST_F(CliHttpsTest, TheCaCanComeFromTheEnvironment) {
  proxy({"127.0.0.1"});
  const auto result = through_proxy({"calls", "demo"}, {"VAPIDASH_CACERT=" + ca_file_});
  EXPECT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(result.out, "no calls for demo\n");
}

TEST_F(CliHttpsTest, AnUntrustedCertificateExits3AndSaysHowToTrustIt) {
  proxy({"127.0.0.1"});
  const auto result = through_proxy({"call", "demo", "--id", "never"});
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, HasSubstr("vapidash: cannot verify the TLS certificate of " + proxy_->url() +
                                    ": unable to get local issuer certificate"));
  EXPECT_THAT(result.err, HasSubstr("--cacert FILE"));
  EXPECT_THAT(result.err, HasSubstr("--insecure"));
  EXPECT_THAT(result.err, Not(HasSubstr("is `vapidash serve` running")));
  EXPECT_TRUE(proxy_->targets().empty()) << "nothing was sent to a server that was not trusted";
  EXPECT_EQ(get_json("/api/demo/calls").size(), 0u);
}

TEST_F(CliHttpsTest, ACertificateForAnotherHostExits3) {
  proxy({"vapidash.test"});
  const auto by_name = through_proxy(trusting({"calls", "demo"}), {}, "localhost");
  EXPECT_EQ(by_name.code, 3) << by_name.all();
  EXPECT_THAT(by_name.err, HasSubstr("cannot verify the TLS certificate of " + proxy_->url("localhost") +
                                     ": hostname mismatch"));
  EXPECT_THAT(by_name.err, HasSubstr("by a name its certificate was issued for"));
  const auto by_address = through_proxy(trusting({"calls", "demo"}));
  EXPECT_EQ(by_address.code, 3) << by_address.all();
  EXPECT_THAT(by_address.err, HasSubstr("IP address mismatch"));
  EXPECT_TRUE(proxy_->targets().empty());
}

TEST_F(CliHttpsTest, InsecureSkipsTheChecksAndWarnsEveryTime) {
  proxy({"vapidash.test"});
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--insecure", "calls", "demo"}, {"calls", "demo", "-k"}}) {
    const auto result = through_proxy(args);
    EXPECT_EQ(result.code, 0) << result.all();
    EXPECT_EQ(result.out, "no calls for demo\n");
    EXPECT_THAT(result.err, HasSubstr("vapidash: warning: --insecure: the TLS certificate of " +
                                      proxy_->url() + " is not verified"));
  }
  const auto from_env = through_proxy({"calls", "demo", "--json"}, {"VAPIDASH_INSECURE=1"});
  EXPECT_EQ(from_env.code, 0) << from_env.all();
  EXPECT_EQ(from_env.out, "[]\n");
  EXPECT_THAT(from_env.err, HasSubstr("warning: --insecure"));
  const auto turned_off = through_proxy({"calls", "demo"}, {"VAPIDASH_INSECURE=0"});
  EXPECT_EQ(turned_off.code, 3) << turned_off.all();
}

TEST_F(CliHttpsTest, HttpsToAPlainHttpServerExits3) {
  const auto url = "https://127.0.0.1:" + std::to_string(server_.endpoint().port);
  const auto result = run_vapidash({"--server", url, "calls", "demo"});
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, HasSubstr("vapidash: cannot complete the TLS handshake with " + url + ":"));
}

TEST_F(CliHttpsTest, InsecureSaysNothingForPlainHttp) {
  const auto result = vapidash({"--insecure", "calls", "demo"});
  EXPECT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(result.err, "");
}

TEST_F(CliHttpsTest, AMissingOrJunkCaFileIsAUsageError) {
  proxy({"127.0.0.1"});
  const auto missing = through_proxy({"--cacert", dir_.file("nope.pem"), "calls", "demo"});
  EXPECT_EQ(missing.code, 2) << missing.all();
  EXPECT_THAT(missing.err, HasSubstr("nope.pem"));
  std::ofstream(dir_.file("junk.pem")) << "not a certificate\n";
  const auto junk = through_proxy({"--cacert", dir_.file("junk.pem"), "calls", "demo"});
  EXPECT_EQ(junk.code, 2) << junk.all();
  EXPECT_THAT(junk.err, HasSubstr("cannot load CA certificates from \"" + dir_.file("junk.pem") + "\""));
}

TEST_F(CliHttpsTest, APathPrefixGoesBeforeEveryRequest) {
  proxy({}, "/team/vapidash");
  const auto call = through_proxy({"call", "demo", "--id", "p1"});
  ASSERT_EQ(call.code, 0) << call.all();
  const auto calls = through_proxy({"calls", "demo", "-q"});
  EXPECT_EQ(calls.code, 0) << calls.all();
  EXPECT_EQ(calls.out, "p1\n");
  const auto trailing_slash = run_vapidash({"--server", proxy_->url() + "/", "show", "demo", "p1"});
  EXPECT_EQ(trailing_slash.code, 0) << trailing_slash.all();
  EXPECT_EQ(proxy_->targets(),
            (std::vector<std::string>{"/team/vapidash/api/debug/create-test-call/demo",
                                      "/team/vapidash/api/demo/calls", "/team/vapidash/api/demo/calls/p1"}));
}

TEST_F(CliHttpsTest, TailFollowsTheFeedOverWssUnderAPrefix) {
  proxy({"127.0.0.1"}, "/vapidash");
  CliProcess tail({"--server", proxy_->url(), "--cacert", ca_file_, "tail", "--client", "demo", "--count",
                   "1", "--json"});
  ASSERT_TRUE(eventually([&] { return server_.server().hub().connected() == 1; }, 10s))
      << "tail never connected\n"
      << tail.err();
  post_json("/api/debug/create-test-call/demo", R"({"call_id": "live", "status": "ringing"})");
  ASSERT_EQ(tail.wait(15s), 0) << tail.out() << tail.err();
  EXPECT_EQ(json::parse(tail.out()).at("call").at("id"), "live");
  EXPECT_EQ(proxy_->targets(), std::vector<std::string>{"/vapidash/ws/dashboard?client_id=demo"});
}

TEST_F(CliHttpsTest, TailFollowsAPlainFeedUnderAPrefix) {
  proxy({}, "/vapidash");
  CliProcess tail({"--server", proxy_->url(), "tail", "--count", "1", "-q"});
  ASSERT_TRUE(eventually([&] { return server_.server().hub().connected() == 1; }, 10s))
      << "tail never connected\n"
      << tail.err();
  post_json("/api/debug/create-test-call/demo", R"({"call_id": "plain"})");
  ASSERT_EQ(tail.wait(15s), 0) << tail.out() << tail.err();
  EXPECT_THAT(tail.out(), HasSubstr("plain"));
  EXPECT_EQ(proxy_->targets(), std::vector<std::string>{"/vapidash/ws/dashboard"});
}

TEST_F(CliHttpsTest, TailRefusesAnUntrustedCertificateAtStart) {
  proxy({"127.0.0.1"});
  const auto result = through_proxy({"tail", "--count", "1"});
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, HasSubstr("cannot verify the TLS certificate"));
  EXPECT_TRUE(eventually([&] { return proxy_->handshakes_refused() == 1; }, 10s));
}

TEST(CliHttpsHelp, HelpNamesTheTlsFlags) {
  const auto result = run_vapidash({"--help"});
  EXPECT_EQ(result.code, 0) << result.all();
  for (const auto* text : {"--cacert", "VAPIDASH_CACERT", "-k,--insecure", "VAPIDASH_INSECURE",
                           "http[s]://HOST[:PORT][/PREFIX]", "TLS certificate is refused"}) {
    EXPECT_THAT(result.out, HasSubstr(text));
  }
}

}  // namespace
}  // namespace vapidash::test::cli
