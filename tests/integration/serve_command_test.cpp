#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "support/child_process.hpp"
#include "support/raw_exchange.hpp"
#include "support/serve_banner.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/client/http_client.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

TEST(ServeCommandTest, VersionPrintsTheVersion) {
  const auto [code, output] = run_command({VAPIDASH_BINARY, "--version"});
  EXPECT_EQ(code, 0);
  EXPECT_NE(output.find("vapidash 0."), std::string::npos) << output;
}

TEST(ServeCommandTest, HelpListsServe) {
  const auto [code, output] = run_command({VAPIDASH_BINARY, "--help"});
  EXPECT_EQ(code, 0);
  EXPECT_NE(output.find("serve"), std::string::npos) << output;
}

TEST(ServeCommandTest, ServeHelpDocumentsEveryOption) {
  const auto [code, output] = run_command({VAPIDASH_BINARY, "serve", "--help"});
  EXPECT_EQ(code, 0);
  for (const char* option : {"--listen", "--db", "--sync", "--threads", "--log-level", "--log-format",
                             "VAPIDASH_LISTEN", "VAPIDASH_DB", "--cors-origins", "VAPIDASH_CORS_ORIGINS"}) {
    EXPECT_NE(output.find(option), std::string::npos) << option << " missing from:\n" << output;
  }
}

TEST(ServeCommandTest, BadFlagsAreUsageErrors) {
  EXPECT_EQ(run_command({VAPIDASH_BINARY, "serve", "--sync", "sometimes"}).first, 2);
  EXPECT_EQ(run_command({VAPIDASH_BINARY, "serve", "--no-such-flag"}).first, 2);
  EXPECT_EQ(run_command({VAPIDASH_BINARY, "serve", "--threads", "0"}).first, 2);
  EXPECT_EQ(run_command({VAPIDASH_BINARY}).first, 2);
}

TEST(ServeCommandTest, StartsFromEnvironmentAndSaysWhereItListensAndWhichDatabase) {
  TempDir dir;
  const auto db = dir.file("env.db");
  ChildProcess serve({VAPIDASH_BINARY, "serve"}, {"VAPIDASH_LISTEN=127.0.0.1:0", "VAPIDASH_DB=" + db});
  EXPECT_NE(serve.wait_for_stdout_line("serving http://127.0.0.1:", 30s).find("/ws/dashboard"),
            std::string::npos);
  EXPECT_NE(serve.wait_for_stdout_line("database:", 5s).find(db), std::string::npos);
  EXPECT_NE(serve.wait_for_stdout_line("auth:", 5s).find("none"), std::string::npos);
  serve.signal(SIGINT);
  EXPECT_EQ(serve.wait(15s), 0);
}

TEST(ServeCommandTest, PortInUseIsAClearErrorWithExitCode1) {
  TempDir dir;
  ChildProcess first({VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", dir.file("a.db")});
  const auto line = first.wait_for_stdout_line("serving http://", 30s);
  const auto address =
      line.substr(line.find("127.0.0.1:"), line.find(' ', line.find("127.0.0.1:")) - line.find("127.0.0.1:"));
  const auto [code, output] =
      run_command({VAPIDASH_BINARY, "serve", "--listen", address, "--db", dir.file("b.db")});
  EXPECT_EQ(code, 1);
  EXPECT_NE(output.find("cannot listen on"), std::string::npos) << output;
}

TEST(ServeCommandTest, JsonLogsAreOneObjectPerLine) {
  TempDir dir;
  ChildProcess serve({VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", dir.file("j.db"),
                      "--log-format", "json"});
  serve.wait_for_stdout_line("serving http://", 30s);
  serve.signal(SIGTERM);
  ASSERT_EQ(serve.wait(15s), 0);
  serve.wait_for_stderr_line("shutting down", 1s);
  std::istringstream lines(serve.err());
  int objects = 0;
  for (std::string line; std::getline(lines, line); ++objects) {
    const auto object = json::parse(line, nullptr, false);
    ASSERT_TRUE(object.is_object()) << "not one JSON object: " << line;
    std::set<std::string> keys;
    for (const auto& [key, value] : object.items()) {
      keys.insert(key);
      EXPECT_TRUE(value.is_string()) << key << " in " << line;
    }
    EXPECT_EQ(keys, (std::set<std::string>{"time", "level", "logger", "message"})) << line;
  }
  EXPECT_GE(objects, 2) << "start-up and shutdown are logged: " << serve.err();
  EXPECT_NE(serve.err().find(R"("level":"info")"), std::string::npos) << serve.err();
}

TEST(ServeCommandTest, CorsOriginsFromTheEnvironmentRestrictWhichBrowsersMayCall) {
  TempDir dir;
  ChildProcess serve({VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", dir.file("c.db")},
                     {"VAPIDASH_CORS_ORIGINS=https://dash.example.com"});
  const auto endpoint = served_endpoint(serve.wait_for_stdout_line("serving http://", 30s));
  EXPECT_NE(serve.wait_for_stdout_line("cors:", 5s).find("https://dash.example.com"), std::string::npos);
  for (const auto& [origin, status] : std::vector<std::pair<std::string, unsigned>>{
           {"https://dash.example.com", 204}, {"https://x.test", 403}}) {
    RawRequest preflight{http::verb::options, "/api/demo-client/calls", 11};
    preflight.set(http::field::origin, origin);
    preflight.set(http::field::access_control_request_method, "GET");
    EXPECT_EQ(raw_exchange(endpoint, preflight).result_int(), status) << origin;
  }
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait(15s), 0);
}

TEST(ServeCommandTest, ACorsOriginThatIsNotAnOriginIsAUsageError) {
  TempDir dir;
  const auto [code, output] = run_command({VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db",
                                           dir.file("u.db"), "--cors-origins", "dash.example.com/app"});
  EXPECT_EQ(code, 2) << output;
  EXPECT_NE(output.find("--cors-origins entry \"dash.example.com/app\""), std::string::npos) << output;
}

TEST(ServeCommandTest, AHostNameIsResolvedAndServed) {
  TempDir dir;
  ChildProcess serve({VAPIDASH_BINARY, "serve", "--listen", "localhost:0", "--db", dir.file("h.db")});
  const auto endpoint = served_endpoint(serve.wait_for_stdout_line("serving http://", 30s));
  EXPECT_EQ(endpoint.host, "127.0.0.1");
  EXPECT_EQ(HttpClient(endpoint, 10s).get("/healthz").status, 200u);
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait(15s), 0);
}

TEST(ServeCommandTest, AHostNameThatDoesNotResolveIsAClearErrorNotACrash) {
  TempDir dir;
  const auto [code, output] =
      run_command({VAPIDASH_BINARY, "serve", "--listen", "no-such-host.invalid:0", "--db", dir.file("n.db")});
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find("cannot listen on no-such-host.invalid:0: the host name does not resolve"),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace vapidash::test
