// What every client subcommand shares: --server and VAPIDASH_SERVER, --timeout, --json, --quiet, colours,
// --version, and the exit codes for a server that is down, silent, or not a vapidash server at all.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>

#include "cli_test_support.hpp"
#include "vapidash/auth/access.hpp"

namespace vapidash::test::cli {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class CliGlobalTest : public CliTest {};

TEST(CliGlobal, VersionPrintsTheVersionAndExitsZero) {
  const auto result = run_vapidash({"--version"});
  EXPECT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, FullyMatches(R"(vapidash [0-9]+\.[0-9]+\.[0-9]+\n)"));
}

TEST(CliGlobal, HelpListsTheSubcommandsAndExitCodes) {
  const auto result = run_vapidash({"--help"});
  EXPECT_EQ(result.code, 0) << result.all();
  for (const auto* command : {"serve", "call", "event", "webhook", "calls", "show", "timeline", "tail"}) {
    EXPECT_THAT(result.out, HasSubstr(std::string("\n  ") + command + " ")) << command;
  }
  EXPECT_THAT(result.out, HasSubstr("VAPIDASH_SERVER"));
  EXPECT_THAT(result.out, HasSubstr("http://127.0.0.1:8000"));
  EXPECT_THAT(result.out, HasSubstr("3 cannot reach the server"));
  EXPECT_THAT(result.out, Not(HasSubstr("  commands "))) << "the command tree printer is hidden";
}

TEST(CliGlobal, SubcommandHelpExitsZero) {
  for (const auto* command : {"call", "event", "webhook", "calls", "show", "timeline", "tail"}) {
    const auto result = run_vapidash({command, "--help"});
    EXPECT_EQ(result.code, 0) << command << "\n" << result.all();
    EXPECT_THAT(result.out, HasSubstr("Example")) << command;
  }
}

TEST(CliGlobal, NoOrUnknownSubcommandIsAUsageError) {
  const auto none = run_vapidash({});
  EXPECT_EQ(none.code, 2) << none.all();
  EXPECT_FALSE(none.err.empty());
  const auto unknown = run_vapidash({"frobnicate"});
  EXPECT_EQ(unknown.code, 2) << unknown.all();
  EXPECT_THAT(unknown.err, HasSubstr("unknown command \"frobnicate\"; known: serve, call, event, webhook"));
  const auto typo = run_vapidash({"--json", "tial"});
  EXPECT_EQ(typo.code, 2) << typo.all();
  EXPECT_THAT(typo.err, HasSubstr("unknown command \"tial\" (did you mean tail?)"));
  const auto bad_global = run_vapidash({"--no-such-flag", "calls", "demo"});
  EXPECT_EQ(bad_global.code, 2) << bad_global.all();
}

TEST(CliGlobal, InvalidServerUrlIsAUsageError) {
  for (const auto* url : {"http://127.0.0.1:80x", "ftp://127.0.0.1:21", "http://127.0.0.1:99999",
                          "http://127.0.0.1:8000/api?page=2", "https://127.0.0.1:8000/#calls"}) {
    const auto result = run_vapidash({"--server", url, "calls", "demo"});
    EXPECT_EQ(result.code, 2) << url << "\n" << result.all();
    EXPECT_THAT(result.err, HasSubstr(std::string("\"") + url + "\"")) << url;
  }
}

TEST(CliGlobal, InvalidTimeoutIsAUsageError) {
  RefusingPort nobody;
  for (const auto* timeout : {"0", "-1", "soon"}) {
    const auto result = run_against(nobody.endpoint(), {"--timeout", timeout, "calls", "demo"});
    EXPECT_EQ(result.code, 2) << timeout << "\n" << result.all();
    EXPECT_THAT(result.err,
                HasSubstr(std::string("--timeout: must be a number of seconds above 0, at most 86400, got ") +
                          timeout))
        << "no 300-digit bound";
  }
}

TEST(CliGlobal, MalformedJsonArgumentsNameTheFlagAndThePosition) {
  RefusingPort nobody;
  const auto result =
      run_against(nobody.endpoint(), {"event", "demo", "c1", "noted", "--payload", "not json"});
  EXPECT_EQ(result.code, 2) << result.all();
  EXPECT_THAT(result.err, HasSubstr("--payload is not valid JSON at line 1, column 2"));
  EXPECT_THAT(result.err, Not(HasSubstr("json.exception")));
}

TEST(CliGlobal, ServeHelpShowsChoicesNotCli11Mappings) {
  const auto result = run_vapidash({"serve", "--help"});
  EXPECT_THAT(result.out, HasSubstr("--sync full|normal"));
  EXPECT_THAT(result.out, HasSubstr("--log-format text|json"));
  EXPECT_THAT(result.out, Not(HasSubstr("->")));
}

TEST_F(CliGlobalTest, ClientOptionsWorkBeforeAndAfterTheSubcommand) {
  const auto url = server_.endpoint().url();
  const auto before = run_vapidash({"--server", url, "--json", "call", "demo", "--id", "a"});
  const auto after = run_vapidash({"call", "demo", "--id", "b", "--json", "--server", url});
  ASSERT_EQ(before.code, 0) << before.all();
  ASSERT_EQ(after.code, 0) << after.all();
  EXPECT_EQ(stdout_json(before).at("call_id"), "a");
  EXPECT_EQ(stdout_json(after).at("call_id"), "b");
}

TEST_F(CliGlobalTest, ServerComesFromTheEnvironmentWhenNotGiven) {
  const auto result = run_vapidash({"call", "demo", "--id", "from-env", "-q"},
                                   {"VAPIDASH_SERVER=" + server_.endpoint().url()});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(result.out, "from-env\n");
  EXPECT_EQ(get_json("/api/demo/calls").size(), 1u);

  // A bare HOST:PORT is a server URL too.
  const auto bare = run_vapidash({"calls", "demo", "-q"},
                                 {"VAPIDASH_SERVER=127.0.0.1:" + std::to_string(server_.endpoint().port)});
  EXPECT_EQ(bare.code, 0) << bare.all();
  EXPECT_EQ(bare.out, "from-env\n");
}

TEST_F(CliGlobalTest, ServerFlagWinsOverTheEnvironment) {
  RefusingPort nobody;
  const auto flag_live = run_vapidash({"--server", server_.endpoint().url(), "calls", "demo"},
                                      {"VAPIDASH_SERVER=" + nobody.endpoint().url()});
  EXPECT_EQ(flag_live.code, 0) << flag_live.all();
  const auto flag_dead = run_vapidash({"--server", nobody.endpoint().url(), "calls", "demo"},
                                      {"VAPIDASH_SERVER=" + server_.endpoint().url()});
  EXPECT_EQ(flag_dead.code, 3) << flag_dead.all();
  EXPECT_THAT(flag_dead.err, HasSubstr(nobody.endpoint().url()));
}

// Without --server and VAPIDASH_SERVER the client goes to http://127.0.0.1:8000. The test plays that server
// itself, so it runs only when port 8000 is free.
TEST(CliGlobal, DefaultServerIsLocalhost8000) {
  std::unique_ptr<CannedHttpServer> fake;
  try {
    fake = std::make_unique<CannedHttpServer>(200, "OK", "application/json", "[]", 8000);
  } catch (const std::runtime_error&) {
    GTEST_SKIP() << "127.0.0.1:8000 is in use here";
  }
  const auto result = run_vapidash({"calls", "demo-client"});
  EXPECT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(result.out, "no calls for demo-client\n");
  const auto requests = fake->request_lines();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0], "GET /api/demo-client/calls HTTP/1.1");
}

TEST(CliGlobal, ServerDownMessageSaysWhatToDo) {
  RefusingPort nobody;
  const auto result = run_against(nobody.endpoint(), {"calls", "demo"});
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, StartsWith("vapidash: cannot connect to " + nobody.endpoint().url()));
  EXPECT_THAT(result.err, HasSubstr("--server"));
  EXPECT_THAT(result.err, HasSubstr("VAPIDASH_SERVER"));
  EXPECT_EQ(result.out, "");
}

TEST(CliGlobal, AServerThatNeverAnswersTimesOutWithExitThree) {
  SilentServer silent;
  const auto started = std::chrono::steady_clock::now();
  const auto result = run_against(silent.endpoint(), {"--timeout", "0.5", "calls", "demo"});
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, StartsWith("vapidash: "));
  EXPECT_LT(took, 8s) << "--timeout 0.5 must not wait for the 10 s default";
}

// A 5xx with the server's JSON error body is "the server said no" too: exit 1, its code and message shown.
TEST(CliGlobal, AServerErrorExitsOneWithItsMessage) {
  CannedHttpServer failing(
      503, "Service Unavailable", "application/json",
      R"({"ok": false, "error": {"code": "store_unavailable", "message": "the disk is full"}})");
  const auto result = run_against(failing.endpoint(), {"call", "demo"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_EQ(result.err, "vapidash: the server answered 503 store_unavailable: the disk is full\n");
  EXPECT_EQ(result.out, "");
  const auto as_json = run_against(failing.endpoint(), {"calls", "demo", "--json"});
  EXPECT_EQ(as_json.code, 1) << as_json.all();
  EXPECT_EQ(stdout_json(as_json).at("error").at("code"), "store_unavailable");
  EXPECT_EQ(failing.request_lines(),
            (std::vector<std::string>{"POST /api/debug/create-test-call/demo HTTP/1.1",
                                      "GET /api/demo/calls HTTP/1.1"}));
}

// A 5xx from something in front of the server (a proxy's text page) is still "the server said no", and the
// user sees what it said.
TEST(CliGlobal, ANonJsonErrorBodyIsShown) {
  CannedHttpServer proxy(502, "Bad Gateway", "text/plain", "upstream connect error or disconnect");
  const auto result = run_against(proxy.endpoint(), {"calls", "demo"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("502"));
  EXPECT_THAT(result.err, HasSubstr("upstream connect error")) << "exit 1 promises the error body is shown";
}

// --server pointed at some other web server: a 200 whose body is not what vapidash expects must end with a
// message and a documented exit code, never an abort.
TEST(CliGlobal, AnUnexpected200BodyIsAnErrorNotACrash) {
  rlimit no_core{0, 0};
  getrlimit(RLIMIT_CORE, &no_core);
  no_core.rlim_cur = 0;  // an abort must not leave core files behind; the children inherit this
  setrlimit(RLIMIT_CORE, &no_core);
  CannedHttpServer other(200, "OK", "text/html", "<html><body>It works!</body></html>");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"calls", "demo"},
                                               {"call", "demo"},
                                               {"show", "demo", "c1"},
                                               {"timeline", "demo", "c1"},
                                               {"event", "demo", "c1", "ringing"},
                                               {"webhook", "demo", "hang"}}) {
    const auto result = run_against(other.endpoint(), args);
    EXPECT_TRUE(result.code == 1 || result.code == 3) << args[0] << ": exit " << result.code << "\n"
                                                      << result.all();
    EXPECT_THAT(result.err, StartsWith("vapidash: ")) << args[0];
    EXPECT_THAT(result.err, Not(HasSubstr("terminate called"))) << args[0];
  }
}

TEST_F(CliGlobalTest, QuietPrintsOnlyWhatScriptsNeed) {
  ASSERT_EQ(vapidash({"call", "demo", "--id", "q1", "--status", "ringing", "-q"}).out, "q1\n");
  EXPECT_EQ(vapidash({"calls", "demo", "-q"}).out, "q1\n");
  EXPECT_EQ(vapidash({"show", "demo", "q1", "-q"}).out, "q1\n");
  EXPECT_THAT(vapidash({"timeline", "demo", "q1", "-q"}).out, FullyMatches("[0-9]+\n")) << "the event's id";
  EXPECT_EQ(vapidash({"webhook", "demo", "hang", "--call", "q1", "-q"}).out, "q1\n");
  EXPECT_THAT(vapidash({"event", "demo", "q1", "x", "-q"}).out, FullyMatches("[0-9]+\n"));
}

TEST_F(CliGlobalTest, PipedOutputHasNoColourCodes) {
  ASSERT_EQ(vapidash({"call", "demo", "--id", "c1", "--status", "ringing"}).code, 0);
  ASSERT_EQ(vapidash({"webhook", "demo", "transcript", "--call", "c1"}).code, 0);
  for (const std::vector<std::string>& args : {std::vector<std::string>{"calls", "demo"},
                                               {"show", "demo", "c1"},
                                               {"timeline", "demo", "c1"},
                                               {"call", "demo", "--id", "c1", "--status", "in-progress"},
                                               {"show", "demo", "nope"}}) {
    for (const auto& extra : {std::vector<std::string>{}, {"--no-color"}}) {
      auto full = args;
      full.insert(full.end(), extra.begin(), extra.end());
      const auto result = vapidash(full);
      EXPECT_EQ(result.all().find('\033'), std::string::npos) << result.all();
    }
  }
}

// At a terminal statuses and headers are coloured; --no-color and NO_COLOR turn that off, and the table is
// the same text either way (colour codes take no column width).
TEST_F(CliGlobalTest, ColoursAtATerminalUnlessNoColor) {
  ASSERT_EQ(vapidash({"call", "demo", "--id", "c1", "--status", "ringing"}).code, 0);
  ASSERT_EQ(vapidash({"call", "demo", "--id", "c2", "--status", "in-progress", "--phone", "+1"}).code, 0);
  const auto url = server_.endpoint().url();
  const auto at_terminal = [&](std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), {"--server", url});
    return run_vapidash(std::move(args), std::move(env), ChildProcess::Output::terminal);
  };

  const auto coloured = at_terminal({"calls", "demo"});
  ASSERT_EQ(coloured.code, 0) << coloured.all();
  EXPECT_THAT(coloured.out, HasSubstr("\033[")) << "a terminal gets colours";

  const auto flag = at_terminal({"calls", "demo", "--no-color"});
  ASSERT_EQ(flag.code, 0) << flag.all();
  EXPECT_EQ(flag.out.find('\033'), std::string::npos) << flag.out;

  const auto env = at_terminal({"calls", "demo"}, {"NO_COLOR=1"});
  ASSERT_EQ(env.code, 0) << env.all();
  EXPECT_EQ(env.out.find('\033'), std::string::npos) << env.out;

  EXPECT_EQ(plain_text(coloured.out), plain_text(flag.out));
  EXPECT_EQ(plain_text(flag.out), vapidash({"calls", "demo"}).out);

  const auto show = at_terminal({"show", "demo", "c1", "--no-color"});
  EXPECT_EQ(show.out.find('\033'), std::string::npos) << show.out;
  const auto timeline = at_terminal({"timeline", "demo", "c1"}, {"NO_COLOR=1"});
  EXPECT_EQ(timeline.out.find('\033'), std::string::npos) << timeline.out;
}

TEST_F(CliGlobalTest, JsonOutputIsNeverColoured) {
  ASSERT_EQ(vapidash({"call", "demo", "--id", "c1", "--status", "ringing"}).code, 0);
  const auto result = run_vapidash({"--server", server_.endpoint().url(), "calls", "demo", "--json"}, {},
                                   ChildProcess::Output::terminal);
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(result.out.find('\033'), std::string::npos);
  EXPECT_EQ(json::parse(plain_text(result.out)), get_json("/api/demo/calls"));
}

// A tenant whose dashboard needs a token: --token, else VAPIDASH_TOKEN, goes as Authorization: Bearer.
class CliTokenTest : public ::testing::Test {
 protected:
  static AccessConfig access() {
    AccessConfig config;
    config.admin_token = "admin-token";
    config.tenants["guarded"].dashboard_token = "guarded-token";
    return config;
  }
  CliResult vapidash(std::vector<std::string> args, std::vector<std::string> env = {}) {
    return run_against(server_.endpoint(), std::move(args), std::move(env));
  }
  TestServer server_{{}, SyncMode::full, access()};
};

TEST_F(CliTokenTest, ReadsNeedTheTenantsToken) {
  const auto without = vapidash({"calls", "guarded"});
  EXPECT_EQ(without.code, 1) << without.all();
  EXPECT_THAT(without.err, HasSubstr("401"));
  EXPECT_THAT(without.err, HasSubstr("unauthorized"));

  EXPECT_EQ(vapidash({"calls", "guarded", "--token", "wrong"}).code, 1);
  const auto with_flag = vapidash({"call", "guarded", "--id", "g1", "--token", "guarded-token", "-q"});
  EXPECT_EQ(with_flag.code, 0) << with_flag.all();
  const auto with_env = vapidash({"show", "guarded", "g1", "-q"}, {"VAPIDASH_TOKEN=guarded-token"});
  EXPECT_EQ(with_env.code, 0) << with_env.all();
  EXPECT_EQ(with_env.out, "g1\n");
  const auto admin = vapidash({"timeline", "guarded", "g1", "-q", "--token", "admin-token"});
  EXPECT_EQ(admin.code, 0) << admin.all();
  EXPECT_EQ(admin.out, "1\n");
}

}  // namespace
}  // namespace vapidash::test::cli
