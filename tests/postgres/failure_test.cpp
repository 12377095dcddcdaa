// What a server on PostgreSQL does when the database goes away and comes back, and when it is told to use a
// database it cannot: clear messages, 503s, 1012 for dashboards, never a password in sight.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

#include "support/child_process.hpp"
#include "support/scratch_database.hpp"
#include "support/serve_banner.hpp"
#include "support/test_server.hpp"
#include "vapidash/client/feed_client.hpp"
#include "vapidash/client/http_client.hpp"
#include "vapidash/client/server_error.hpp"
#include "vapidash/error.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

// The cluster pg_virtualenv made for this suite, stopped or started with Debian's pg_ctlcluster.
void cluster(const std::string& action) {
  const char* version = std::getenv("PGVERSION");
  ASSERT_NE(version, nullptr) << "PGVERSION is unset: run this suite under pg_virtualenv";
  const auto [code, output] =
      run_command({"/usr/bin/pg_ctlcluster", version, "regress", action, "-m", "fast"});
  ASSERT_EQ(code, 0) << output;
}

// Polls `ready` every 100 ms for up to 30 s: how long a restart takes is up to the system, not the test.
bool eventually(const std::function<bool()>& ready) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

// Stops the cluster; starts it again when it goes, however the test ends, so later tests have a server.
class StoppedCluster {
 public:
  StoppedCluster() { cluster("stop"); }
  ~StoppedCluster() { start(); }
  StoppedCluster(const StoppedCluster&) = delete;
  StoppedCluster& operator=(const StoppedCluster&) = delete;
  void start() {
    if (started_) return;
    started_ = true;
    cluster("start");
  }

 private:
  bool started_ = false;
};

// Reads until the server closes the feed; false when a message came instead.
bool closed_by_server(FeedClient& feed) {
  try {
    const auto message = feed.read(30s);
    ADD_FAILURE() << "the feed heard " << message.value_or("nothing in 30 s") << " instead of being closed";
    return false;
  } catch (const connection_error&) {
    return true;
  }
}

unsigned status_of(const Endpoint& server, const std::string& target, const std::string& body = {}) {
  try {
    HttpClient client(server, 10s);
    return body.empty() ? client.get(target).status : client.post(target, body).status;
  } catch (const std::exception&) {
    return 0;
  }
}

TEST(PostgresRestart, ServersAnswer503WhileItIsDownRecoverOnTheirOwnAndRestartTheirDashboards) {
  ScratchDatabase database;
  ChildProcess serve({VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", database.conninfo()});
  const auto server = served_endpoint(serve.wait_for_stdout_line("serving http://", 60s));
  FeedClient feed(server, "/ws/dashboard?client_id=acme", 20s);
  feed.connect();
  ASSERT_EQ(status_of(server, "/healthz"), 200u);

  StoppedCluster stopped;
  ASSERT_TRUE(closed_by_server(feed));
  EXPECT_EQ(feed.close_reason().code, 1012) << "service restart: the dashboard must load the calls again";
  EXPECT_EQ(std::string(feed.close_reason().reason.data(), feed.close_reason().reason.size()),
            "changes may have been missed: load the calls again");
  EXPECT_EQ(status_of(server, "/healthz"), 503u);
  EXPECT_EQ(status_of(server, "/api/debug/create-test-call/acme", R"({"call_id": "while-down"})"), 503u);
  EXPECT_EQ(status_of(server, "/api/acme/calls"), 503u);
  FeedClient while_down(server, "/ws/dashboard?client_id=acme", 20s);
  try {
    while_down.connect();
    ADD_FAILURE() << "a feed was admitted while the change stream was down: it would miss changes";
  } catch (const server_error& e) {
    EXPECT_EQ(e.status(), 503u);
  }

  stopped.start();
  ASSERT_TRUE(eventually([&] { return status_of(server, "/healthz") == 200u; }))
      << "the server did not recover without a restart";
  FeedClient again(server, "/ws/dashboard?client_id=acme", 20s);
  again.connect();
  ASSERT_EQ(status_of(server, "/api/debug/create-test-call/acme", R"({"call_id": "after"})"), 200u);
  const auto upsert = parse_json(again.read(20s).value_or("{}"));
  EXPECT_EQ(upsert.value("type", ""), "call-upsert");
  EXPECT_EQ(status_of(server, "/api/acme/calls/while-down"), 404u) << "a write answered 503 was stored";
}

// `vapidash serve --db conninfo` fails to start: its exit code and what it said.
std::pair<int, std::string> failed_start(const std::string& conninfo) {
  return run_command({VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", conninfo});
}

TEST(PostgresConfiguration, AnUnreachableServerIsNamedWithoutThePassword) {
  const auto [code, output] = failed_start("postgresql://vapidash:s3cret-pw@127.0.0.1:1/calls");
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find("cannot connect to PostgreSQL at postgresql://vapidash@127.0.0.1:1/calls"),
            std::string::npos)
      << output;
  EXPECT_EQ(output.find("s3cret-pw"), std::string::npos) << output;
}

TEST(PostgresConfiguration, AWrongPasswordIsNamedWithoutThePassword) {
  admin_exec("DROP ROLE IF EXISTS vapidash_pw_test");
  admin_exec("CREATE ROLE vapidash_pw_test LOGIN PASSWORD 'right-one'");
  const std::string port = std::getenv("PGPORT") != nullptr ? std::getenv("PGPORT") : "5432";
  const auto [code, output] =
      failed_start("postgresql://vapidash_pw_test:wr0ng-pw@localhost:" + port + "/postgres");
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find("password authentication failed"), std::string::npos) << output;
  EXPECT_EQ(output.find("wr0ng-pw"), std::string::npos) << output;
}

TEST(PostgresConfiguration, ADatabaseWithoutPermissionsIsNamed) {
  ScratchDatabase database;
  admin_exec("DROP ROLE IF EXISTS vapidash_no_create");
  admin_exec("CREATE ROLE vapidash_no_create LOGIN PASSWORD 'pw-no-create'");
  const std::string port = std::getenv("PGPORT") != nullptr ? std::getenv("PGPORT") : "5432";
  const auto [code, output] =
      failed_start("postgresql://vapidash_no_create:pw-no-create@localhost:" + port + "/" + database.name());
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find("permission denied"), std::string::npos) << output;
  EXPECT_EQ(output.find("pw-no-create"), std::string::npos) << output;
}

TEST(PostgresConfiguration, AConnectionStringLibpqCannotReadIsAUsageErrorWithoutThePassword) {
  const auto [code, output] = failed_start("postgresql://u:hunter2-pw@host:notaport/db?bogus=1");
  EXPECT_EQ(code, 2) << output;
  EXPECT_EQ(output.find("hunter2-pw"), std::string::npos) << output;
}

}  // namespace
}  // namespace vapidash::test
