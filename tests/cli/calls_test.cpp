// `vapidash calls` beyond one screen: --before and --all page through the list (also across calls created
// in the same microsecond), and --watch keeps it live from the feed.
#include <gtest/gtest.h>
#include <signal.h>

#include "cli_test_support.hpp"
#include "vapidash/store/sqlite_db.hpp"

namespace vapidash::test::cli {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> ids_of(const json& calls) {
  std::vector<std::string> ids;
  for (const auto& call : calls) ids.push_back(call.at("id").get<std::string>());
  return ids;
}

std::string lines_text(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

class CliCallsPagingTest : public CliTest {
 protected:
  // Seven calls of demo-client, four of them created in the same microsecond (as a burst of webhooks on a
  // fast machine can be), and one of another tenant. Returns the whole list as the server gives it.
  json seed() {
    for (const auto* id : {"c1", "c2", "c3", "c4", "c5", "c6", "c7"}) {
      post_json("/api/debug/create-test-call/demo-client", json{{"call_id", id}}.dump());
    }
    post_json("/api/debug/create-test-call/other-client", R"({"call_id": "c9"})");
    sqlite::Database(server_.db_path(), false)
        .exec(
            "UPDATE calls SET created_at = '2000-01-01T00:00:00.000000' WHERE id IN ('c2', 'c3', 'c4', "
            "'c5')");
    auto full = get_json("/api/demo-client/calls");
    EXPECT_EQ(ids_of(full), (std::vector<std::string>{"c7", "c6", "c1", "c5", "c4", "c3", "c2"}));
    return full;
  }
};

TEST_F(CliCallsPagingTest, AllFollowsTheCursorToTheEndWithoutDuplicatesOrGaps) {
  const auto full = seed();
  for (const auto* size : {"1", "2", "3", "7", "10"}) {
    const auto as_json = vapidash({"calls", "demo-client", "--all", "--limit", size, "--json"});
    ASSERT_EQ(as_json.code, 0) << as_json.all();
    EXPECT_EQ(stdout_json(as_json), full) << "pages of " << size;
    const auto quiet = vapidash({"calls", "demo-client", "--all", "--limit", size, "--quiet"});
    ASSERT_EQ(quiet.code, 0) << quiet.all();
    EXPECT_EQ(quiet.out, lines_text(ids_of(full))) << "pages of " << size;
  }
  const auto whole = vapidash({"calls", "demo-client", "--all", "--json"});
  EXPECT_EQ(whole.out, vapidash({"calls", "demo-client", "--json"}).out)
      << "--all --json is the same document as the plain list";
}

TEST_F(CliCallsPagingTest, AllPrintsOneTableAsThePagesArrive) {
  const auto full = seed();
  const auto result = vapidash({"calls", "demo-client", "--all", "--limit", "2"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(result.err, "");
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 8u) << result.out;
  EXPECT_THAT(lines[0], FullyMatches("ID +STATUS +PHONE +STARTED \\(UTC\\) +DURATION"));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].substr(0, lines[i].find(' ')), full[i - 1].at("id")) << result.out;
  }
  EXPECT_EQ(vapidash({"calls", "nobody", "--all"}).out, "no calls for nobody\n");
  EXPECT_EQ(vapidash({"calls", "nobody", "--all", "--json"}).out, "[]\n");
}

// --limit N says on stderr where the next page starts; --before takes that call id and goes on from it.
TEST_F(CliCallsPagingTest, BeforeACallIdContinuesWhereTheHintSays) {
  const auto full = seed();
  std::vector<std::string> walked;
  std::vector<std::string> args = {"calls", "demo-client", "--limit", "2"};
  for (int page = 0; page < 10; ++page) {
    const auto result = vapidash(args);
    ASSERT_EQ(result.code, 0) << result.all();
    const auto lines = lines_of(result.out);
    for (std::size_t i = 1; i < lines.size(); ++i) walked.push_back(lines[i].substr(0, lines[i].find(' ')));
    if (lines.size() < 3) {
      EXPECT_EQ(result.err, "") << "a short page is the last";
      break;
    }
    EXPECT_EQ(result.err, "more calls may follow: --before " + walked.back() +
                              " for the next page, --all for every page\n");
    args = {"calls", "demo-client", "--limit", "2", "--before", walked.back()};
  }
  EXPECT_EQ(walked, ids_of(full));
}

TEST_F(CliCallsPagingTest, BeforeATimestampListsTheCallsCreatedEarlier) {
  const auto full = seed();
  const auto cursor = full[1].at("created_at").get<std::string>();
  const auto result = vapidash({"calls", "demo-client", "--before", cursor, "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(stdout_json(result), get_json("/api/demo-client/calls?before=" + cursor));
  EXPECT_EQ(ids_of(stdout_json(result)), (std::vector<std::string>{"c1", "c5", "c4", "c3", "c2"}));

  const auto all_after = vapidash({"calls", "demo-client", "--before", "c4", "--all", "--limit", "1", "-q"});
  EXPECT_EQ(all_after.out, "c3\nc2\n") << all_after.all();
}

TEST_F(CliCallsPagingTest, BeforeAnUnknownCallIsTheServersNo) {
  seed();
  const auto result = vapidash({"calls", "demo-client", "--before", "no-such-call"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("no call no-such-call"));
  EXPECT_EQ(result.out, "");
}

class CliCallsWatchTest : public CliTest {
 protected:
  void create(const std::string& client, const std::string& body) {
    post_json("/api/debug/create-test-call/" + client, body);
  }
  // Starts `calls demo-client --watch ARGS...` and waits until its list is printed, which happens once its
  // feed is open: a write made after this returns is a live change.
  std::unique_ptr<CliProcess> start_watch(std::vector<std::string> args, const std::string& listed,
                                          ChildProcess::Output mode = ChildProcess::Output::separate) {
    args.insert(args.begin(), {"--server", server_.endpoint().url(), "calls", "demo-client", "--watch"});
    auto watch = std::make_unique<CliProcess>(std::move(args), std::vector<std::string>{}, mode);
    watch->wait_for_stdout_line(listed, 10s);
    EXPECT_EQ(server_.server().hub().connected(), 1u);
    return watch;
  }
};

TEST_F(CliCallsWatchTest, WithoutATerminalEachChangeIsALineUntilSigterm) {
  create("demo-client", R"({"call_id": "w1", "status": "ringing"})");
  auto watch = start_watch({}, "w1");
  create("demo-client", R"({"call_id": "w1", "status": "in-progress"})");
  EXPECT_THAT(watch->wait_for_stdout_line("w1", 10s), HasSubstr("w1  debug ringing → in-progress"));
  create("other-client", R"({"call_id": "not-mine"})");
  create("demo-client", R"({"call_id": "w2", "status": "queued"})");
  EXPECT_THAT(watch->wait_for_stdout_line("w2", 10s), HasSubstr("w2  debug queued"));
  watch->signal(SIGTERM);
  EXPECT_EQ(watch->wait(10s), 0) << watch->out() << watch->err();
  EXPECT_THAT(watch->out(), Not(HasSubstr("not-mine")));
  EXPECT_THAT(watch->out(), HasSubstr("DURATION")) << "the list comes first, as a table";
  EXPECT_EQ(watch->err(),
            "vapidash calls: connected to " + server_.endpoint().url() + " (tenant demo-client)\n");
}

TEST_F(CliCallsWatchTest, JsonIsTheListThenEachFeedMessage) {
  create("demo-client", R"({"call_id": "j1"})");
  auto watch = start_watch({"--json"}, "j1");
  create("demo-client", R"({"call_id": "j2", "status": "ringing"})");
  watch->wait_for_stdout_line("j2", 10s);
  watch->signal(SIGINT);
  ASSERT_EQ(watch->wait(10s), 0) << watch->err();
  const auto lines = lines_of(watch->out());
  ASSERT_EQ(lines.size(), 2u) << watch->out();
  EXPECT_EQ(ids_of(json::parse(lines[0])), (std::vector<std::string>{"j1"}));
  const auto change = json::parse(lines[1]);
  EXPECT_EQ(change.at("type"), "call-upsert");
  EXPECT_EQ(change.at("call").at("id"), "j2");
}

TEST_F(CliCallsWatchTest, AtATerminalTheTableIsRedrawn) {
  create("demo-client", R"({"call_id": "r1", "status": "ringing"})");
  auto watch = start_watch({}, "r1", ChildProcess::Output::terminal);
  create("demo-client", R"({"call_id": "r2", "status": "ringing"})");
  watch->wait_for_stdout_line("r2", 10s);
  watch->signal(SIGINT);
  ASSERT_EQ(watch->wait(10s), 0) << watch->err();
  const auto& out = watch->out();
  const std::string clear = "\033[H\033[2J";
  const auto last_draw = out.rfind(clear);
  ASSERT_NE(last_draw, std::string::npos) << out;
  EXPECT_NE(out.find(clear), last_draw) << "drawn, then redrawn";
  const auto lines = lines_of(plain_text(out.substr(last_draw + clear.size())));
  ASSERT_GE(lines.size(), 3u) << out;
  EXPECT_EQ(lines[1].substr(0, 2), "r2") << "the new call on top";
  EXPECT_EQ(lines[2].substr(0, 2), "r1");
  EXPECT_THAT(plain_text(out), HasSubstr("watching demo-client"));
}

TEST_F(CliCallsWatchTest, WatchWithBeforeIsAUsageError) {
  const auto result = vapidash({"calls", "demo-client", "--watch", "--before", "c1"});
  EXPECT_EQ(result.code, 2) << result.all();
  EXPECT_EQ(server_.server().hub().connected(), 0u);
}

}  // namespace
}  // namespace vapidash::test::cli
