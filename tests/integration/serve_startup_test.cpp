// `vapidash serve` refusing a database it cannot use, run as the real binary.
#include <gtest/gtest.h>
#include <signal.h>

#include "support/child_process.hpp"
#include "support/serve_banner.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/client/http_client.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> serve_argv(const std::string& db) {
  return {VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", db};
}

void expect_refused(const std::vector<std::string>& argv, const std::string& message) {
  const auto [code, output] = run_command(argv);
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find(message), std::string::npos) << "expected \"" << message << "\" in:\n" << output;
}

TEST(ServeStartupTest, ASecondServerOnTheSameDatabaseRefusesToStartAndNamesTheScaleOutOption) {
  TempDir dir;
  const auto db = dir.file("shared.db");
  {
    ChildProcess first(serve_argv(db));
    const auto endpoint = served_endpoint(first.wait_for_stdout_line("serving http://", 30s));
    expect_refused(serve_argv(db), "another vapidash server holds the database " + db);
    expect_refused(serve_argv(db), "Several instances need PostgreSQL (scale-out)");
    EXPECT_EQ(HttpClient(endpoint, 10s).get("/healthz").status, 200u) << "the first server must keep running";
    // A server that dies leaves no stale lock behind.
    first.signal(SIGKILL);
    EXPECT_EQ(first.wait(15s), 128 + SIGKILL);
  }
  ChildProcess next(serve_argv(db));
  next.wait_for_stdout_line("serving http://", 30s);
  next.signal(SIGTERM);
  EXPECT_EQ(next.wait(15s), 0);
}

}  // namespace
}  // namespace vapidash::test
