// `vapidash tail`: started as a child, fed by writes to a real server, read line by line; and a server killed
// and restarted under it.
#include <gtest/gtest.h>
#include <signal.h>

#include <regex>
#include <thread>

#include "cli_test_support.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/auth/access.hpp"

namespace vapidash::test::cli {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

class CliTailTest : public CliTest {
 protected:
  // Starts `vapidash --server URL tail ARGS...` and waits until the server counts its feed (`feeds` open in
  // all), so writes made after this returns reach it.
  std::unique_ptr<CliProcess> start_tail(std::vector<std::string> args, std::size_t feeds = 1) {
    args.insert(args.begin(), {"--server", server_.endpoint().url(), "tail"});
    auto tail = std::make_unique<CliProcess>(std::move(args));
    const bool connected = eventually([&] { return server_.server().hub().connected() == feeds; }, 10s);
    EXPECT_TRUE(connected) << "tail never connected\n" << tail->out() << tail->err();
    return tail;
  }
  void create(const std::string& client, const std::string& body) {
    post_json("/api/debug/create-test-call/" + client, body);
  }
};

TEST_F(CliTailTest, PrintsOneLinePerUpsertAndStopsAtCount) {
  auto tail = start_tail({"--count", "3"});
  create("demo-client", R"({"call_id": "t1", "status": "ringing"})");
  create("demo-client", R"({"call_id": "t1", "status": "in-progress", "phone_number": "+18885550111"})");
  create("acme-agency", R"({"call_id": "t2", "status": "queued"})");
  ASSERT_EQ(tail->wait(15s), 0) << tail->out() << tail->err();

  const auto lines = lines_of(tail->out());
  ASSERT_EQ(lines.size(), 3u) << tail->out();
  EXPECT_THAT(lines[0],
              FullyMatches(R"([0-9]{2}:[0-9]{2}:[0-9]{2}  demo-client  t1  debug ringing  \+15555550123)"));
  EXPECT_THAT(
      lines[1],
      FullyMatches(
          R"([0-9]{2}:[0-9]{2}:[0-9]{2}  demo-client  t1  debug ringing → in-progress  \+18885550111)"));
  EXPECT_THAT(lines[2],
              FullyMatches(R"([0-9]{2}:[0-9]{2}:[0-9]{2}  acme-agency  t2  debug queued  \+15555550123)"));
  EXPECT_EQ(tail->err(), "vapidash tail: connected to " + server_.endpoint().url() + " (all tenants)\n");
}

TEST_F(CliTailTest, LinesArriveWhileItRuns) {
  auto tail = start_tail({"--count", "2"});
  create("demo-client", R"({"call_id": "live-1", "status": "ringing"})");
  EXPECT_THAT(tail->wait_for_stdout_line("live-1", 10s), HasSubstr("ringing"));
  create("demo-client", R"({"call_id": "live-1", "status": "ended"})");
  EXPECT_THAT(tail->wait_for_stdout_line("live-1", 10s), HasSubstr("ringing → ended"));
  EXPECT_EQ(tail->wait(10s), 0) << tail->err();
}

TEST_F(CliTailTest, JsonPrintsTheFeedMessagesAsJsonLines) {
  auto tail = start_tail({"--json", "--count", "2"});
  create("demo-client", R"({"call_id": "j1", "status": "ringing"})");
  create("demo-client", R"({"call_id": "j1", "status": "in-progress"})");
  ASSERT_EQ(tail->wait(15s), 0) << tail->out() << tail->err();

  const auto lines = lines_of(tail->out());
  ASSERT_EQ(lines.size(), 2u) << tail->out();
  const auto stored = get_json("/api/demo-client/calls/j1");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto message = json::parse(lines[i]);
    EXPECT_EQ(message.at("type"), "call-upsert");
    EXPECT_EQ(message.at("clientId"), "demo-client");
    EXPECT_EQ(message.at("call").at("id"), "j1");
    EXPECT_EQ(message.at("call").at("status"), i == 0 ? "ringing" : "in-progress");
  }
  const auto last = json::parse(lines[1]).at("call");
  EXPECT_EQ(last.at("phoneNumber"), stored.at("phone_number"));
  EXPECT_EQ(last.at("startedAt"), stored.at("started_at"));
}

TEST_F(CliTailTest, ClientAndStatusFilter) {
  auto tail = start_tail({"--client", "demo-client", "--status", "in-progress", "--json", "--count", "2"});
  create("acme-agency", R"({"call_id": "other", "status": "in-progress"})");
  create("demo-client", R"({"call_id": "f1", "status": "ringing"})");
  create("demo-client", R"({"call_id": "f1", "status": "in-progress"})");
  create("demo-client", R"({"call_id": "f2", "status": "ended"})");
  create("demo-client", R"({"call_id": "f3", "status": "in-progress"})");
  ASSERT_EQ(tail->wait(15s), 0) << tail->out() << tail->err();

  const auto lines = lines_of(tail->out());
  ASSERT_EQ(lines.size(), 2u) << tail->out();
  EXPECT_EQ(json::parse(lines[0]).at("call").at("id"), "f1");
  EXPECT_EQ(json::parse(lines[1]).at("call").at("id"), "f3");
}

TEST_F(CliTailTest, StatusFilterStillShowsWhereTheCallCameFrom) {
  auto tail = start_tail({"--status", "ended", "--count", "1"});
  create("demo-client", R"({"call_id": "s1", "status": "ringing"})");
  create("demo-client", R"({"call_id": "s1", "status": "ended"})");
  ASSERT_EQ(tail->wait(15s), 0) << tail->err();
  EXPECT_THAT(tail->out(), HasSubstr("s1  debug ringing → ended"));
}

TEST_F(CliTailTest, TypeFilter) {
  auto tail = start_tail({"--type", "call-upsert", "--count", "1", "--json"});
  create("demo-client", R"({"call_id": "ty1"})");
  ASSERT_EQ(tail->wait(15s), 0) << tail->err();
  EXPECT_EQ(json::parse(tail->out()).at("type"), "call-upsert");
  ASSERT_TRUE(eventually([&] { return server_.server().hub().connected() == 0; }, 10s));

  auto none = start_tail({"--type", "something-else", "--for", "2s"});
  create("demo-client", R"({"call_id": "ty2"})");
  EXPECT_EQ(none->wait(15s), 0) << none->err();
  EXPECT_EQ(none->out(), "");
}

TEST_F(CliTailTest, SaysWhereItConnectedUnlessQuiet) {
  auto scoped = start_tail({"--client", "demo-client", "--count", "1"});
  auto quiet = start_tail({"--client", "demo-client", "--count", "1", "--quiet"}, 2);
  EXPECT_EQ(scoped->wait_for_stderr_line("connected", 10s),
            "vapidash tail: connected to " + server_.endpoint().url() + " (tenant demo-client)");
  create("demo-client", R"({"call_id": "n1"})");
  ASSERT_EQ(scoped->wait(15s), 0) << scoped->err();
  ASSERT_EQ(quiet->wait(15s), 0) << quiet->err();
  EXPECT_EQ(quiet->err(), "");
  EXPECT_EQ(quiet->out(), "n1\n");
}

// --quiet prints ids only, as every other command does: the call's for a change, the event's for an event.
TEST_F(CliTailTest, QuietPrintsTheIdsOfCallsAndEvents) {
  auto tail = start_tail({"--events", "--quiet", "--count", "3"});
  create("demo-client", R"({"call_id": "q1"})");
  post_json("/api/debug/log-status-event/demo-client/q1", R"({"status": "note"})");
  ASSERT_EQ(tail->wait(15s), 0) << tail->out() << tail->err();
  const auto events = get_json("/api/debug/status-events/demo-client/q1");
  ASSERT_EQ(events.size(), 2u);
  const auto id_of = [&](std::size_t i) { return std::to_string(events.at(i).at("id").get<std::int64_t>()); };
  EXPECT_EQ(lines_of(tail->out()), (std::vector<std::string>{id_of(0), "q1", id_of(1)}));
  EXPECT_EQ(tail->err(), "");
}

// A call through VAPI: each line says which message changed it, and the status only where it moved.
TEST_F(CliTailTest, EachLineNamesTheMessageThatChangedTheCall) {
  auto tail = start_tail({"--count", "4", "--no-color"});
  for (const auto* file : {"status-update-ringing.json", "status-update-in-progress.json",
                           "transcript-final.json", "end-of-call-report.json"}) {
    const auto response = http_.post("/webhooks/vapi/demo-client", read_text(examples_dir + "/" + file));
    ASSERT_EQ(response.status, 200u) << file << ": " << response.body;
  }
  ASSERT_EQ(tail->wait(15s), 0) << tail->out() << tail->err();
  const auto lines = lines_of(tail->out());
  ASSERT_EQ(lines.size(), 4u) << tail->out();
  const std::string clock_pattern = "[0-9]{2}:[0-9]{2}:[0-9]{2}";
  const std::string call_pattern = "  demo-client  [^ ]+  ";
  EXPECT_THAT(lines[0], FullyMatches(clock_pattern + call_pattern + "status-update ringing  \\+14155550142"));
  EXPECT_THAT(lines[1], FullyMatches(clock_pattern + call_pattern +
                                     "status-update ringing → in-progress  \\+14155550142"));
  EXPECT_THAT(lines[2], FullyMatches(clock_pattern + call_pattern + "transcript  \\+14155550142"));
  EXPECT_THAT(lines[3], FullyMatches(clock_pattern + call_pattern +
                                     "end-of-call-report in-progress → ended  \\+14155550142"));
}

// --events: every timeline entry as it is recorded, before the change it caused; other tenants stay out.
TEST_F(CliTailTest, EventsShowsEveryTimelineEntryInOrderWithTheChanges) {
  auto tail = start_tail({"--events", "--client", "demo-client", "--count", "5", "--no-color"});
  create("demo-client", R"({"call_id": "ev1", "status": "ringing"})");
  create("acme-agency", R"({"call_id": "elsewhere"})");
  post_json("/api/debug/log-status-event/demo-client/ev1", R"({"status": "note", "payload": {"by": "ops"}})");
  post_json(
      "/webhooks/vapi/demo-client",
      R"({"message": {"type": "speech-update", "status": "started", "role": "user", "call": {"id": "ev1"}}})");
  post_json("/webhooks/vapi/demo-client",
            R"({"message": {"type": "status-update", "status": "in-progress", "call": {"id": "ev1"}}})");
  ASSERT_EQ(tail->wait(15s), 0) << tail->out() << tail->err();

  const auto events = get_json("/api/debug/status-events/demo-client/ev1");
  ASSERT_EQ(events.size(), 4u);
  const auto event_id = [&](std::size_t i) {
    return std::to_string(events.at(i).at("id").get<std::int64_t>());
  };
  const auto clock_of = [&](std::size_t i) {
    return events.at(i).at("created_at").get<std::string>().substr(11, 8);
  };
  const auto lines = lines_of(tail->out());
  ASSERT_EQ(lines.size(), 5u) << tail->out();
  EXPECT_EQ(lines[0], clock_of(0) + "  demo-client  ev1  event #" + event_id(0) + "  ringing");
  EXPECT_THAT(lines[1], FullyMatches("[0-9:]{8}  demo-client  ev1  debug ringing  \\+15555550123"));
  EXPECT_EQ(lines[2], clock_of(1) + "  demo-client  ev1  event #" + event_id(1) + R"(  note  {"by":"ops"})");
  EXPECT_EQ(lines[3],
            clock_of(2) + "  demo-client  ev1  event #" + event_id(2) + "  speech-update started user");
  EXPECT_EQ(lines[4],
            clock_of(3) + "  demo-client  ev1  event #" + event_id(3) + "  status-update in-progress");
}

TEST_F(CliTailTest, EventsAsJsonLinesInCommitOrder) {
  auto tail = start_tail({"--events", "--json", "--count", "3"});
  create("demo-client", R"({"call_id": "ej1"})");
  post_json("/api/debug/log-status-event/demo-client/ej1", R"({"status": "note"})");
  ASSERT_EQ(tail->wait(15s), 0) << tail->out() << tail->err();
  const auto lines = lines_of(tail->out());
  ASSERT_EQ(lines.size(), 3u) << tail->out();
  const auto events = get_json("/api/debug/status-events/demo-client/ej1");
  ASSERT_EQ(events.size(), 2u);
  const auto first = json::parse(lines[0]);
  EXPECT_EQ(first.at("type"), "status-event");
  EXPECT_EQ(first.at("clientId"), "demo-client");
  EXPECT_EQ(first.at("callId"), "ej1");
  EXPECT_EQ(first.at("event").at("id"), events[0].at("id"));
  EXPECT_EQ(first.at("event").at("created_at"), events[0].at("created_at"));
  EXPECT_EQ(json::parse(lines[1]).at("type"), "call-upsert");
  EXPECT_EQ(json::parse(lines[1]).at("cause"), "debug");
  EXPECT_EQ(json::parse(lines[2]).at("event").at("status"), "note");
}

TEST_F(CliTailTest, TypeStatusEventSubscribesToEventsAndShowsOnlyThem) {
  auto tail = start_tail({"--type", "status-event", "--json", "--count", "2"});
  create("demo-client", R"({"call_id": "te1"})");
  create("demo-client", R"({"call_id": "te2"})");
  ASSERT_EQ(tail->wait(15s), 0) << tail->out() << tail->err();
  const auto lines = lines_of(tail->out());
  ASSERT_EQ(lines.size(), 2u) << tail->out();
  EXPECT_EQ(json::parse(lines[0]).at("callId"), "te1");
  EXPECT_EQ(json::parse(lines[1]).at("callId"), "te2");
}

TEST_F(CliTailTest, WithoutEventsNoStatusEventIsShown) {
  auto tail = start_tail({"--json", "--count", "2"});
  create("demo-client", R"({"call_id": "ne1"})");
  post_json("/api/debug/log-status-event/demo-client/ne1", R"({"status": "note"})");
  create("demo-client", R"({"call_id": "ne2"})");
  ASSERT_EQ(tail->wait(15s), 0) << tail->out() << tail->err();
  for (const auto& line : lines_of(tail->out())) EXPECT_EQ(json::parse(line).at("type"), "call-upsert");
}

TEST_F(CliTailTest, ForStopsAfterTheDurationWithExitZero) {
  const auto started = std::chrono::steady_clock::now();
  auto tail = start_tail({"--for", "2s"});
  create("demo-client", R"({"call_id": "d1", "status": "ringing"})");
  EXPECT_EQ(tail->wait(15s), 0) << tail->out() << tail->err();
  EXPECT_GE(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_THAT(tail->out(), HasSubstr("d1"));
}

TEST_F(CliTailTest, InterruptExitsZero) {
  auto tail = start_tail({});
  create("demo-client", R"({"call_id": "i1", "status": "ringing"})");
  tail->wait_for_stdout_line("i1", 10s);
  tail->signal(SIGINT);
  EXPECT_EQ(tail->wait(10s), 0) << tail->out() << tail->err();
  EXPECT_TRUE(eventually([&] { return server_.server().hub().connected() == 0; }, 10s))
      << "tail closes its feed on the way out";
}

TEST_F(CliTailTest, TerminateExitsZero) {
  auto tail = start_tail({"--json"});
  tail->signal(SIGTERM);
  EXPECT_EQ(tail->wait(10s), 0) << tail->out() << tail->err();
}

TEST_F(CliTailTest, BadFlagsAreUsageErrors) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"tail", "--count", "0"},
                                               {"tail", "--count", "-3"},
                                               {"tail", "--count", "x"},
                                               {"tail", "--for", "1x"},
                                               {"tail", "--for", "-5s"},
                                               {"tail", "--for", "soon"},
                                               {"tail", "--bogus"},
                                               {"tail", "unexpected-positional"}}) {
    const auto result = vapidash(args);
    EXPECT_EQ(result.code, 2) << args.back() << "\n" << result.all();
    EXPECT_FALSE(result.err.empty()) << args.back();
    EXPECT_EQ(result.out, "");
  }
  EXPECT_EQ(server_.server().hub().connected(), 0u);
}

TEST(CliTailServerDown, ExitsThreeAtStart) {
  RefusingPort nobody;
  const auto result = run_against(nobody.endpoint(), {"tail", "--for", "30s"});
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, HasSubstr("cannot connect to " + nobody.endpoint().url()));
}

// The server is reached and says no (an invalid tenant, a missing token): that is exit 1 with the server's
// error, as for every other subcommand, not exit 3's "is vapidash serve running there?".
TEST_F(CliTailTest, AFeedTheServerRefusesExitsOne) {
  const auto invalid = vapidash({"tail", "--client", "no such tenant", "--for", "10s"});
  EXPECT_EQ(invalid.code, 1) << invalid.all();
  EXPECT_THAT(invalid.err, HasSubstr("400"));
  EXPECT_THAT(invalid.err, Not(HasSubstr("is `vapidash serve` running there?")));
}

AccessConfig guarded_access() {
  AccessConfig access;
  access.admin_token = "admin-token";
  access.tenants["guarded"].dashboard_token = "guarded-token";
  return access;
}

TEST(CliTailToken, GuardedFeedWorksWithTheToken) {
  TestServer server({}, SyncMode::full, guarded_access());
  CliProcess tail(
      {"--server", server.endpoint().url(), "tail", "--client", "guarded", "--count", "1", "--json"},
      {"VAPIDASH_TOKEN=guarded-token"});
  ASSERT_TRUE(eventually([&] { return server.server().hub().connected() == 1; }, 10s)) << tail.err();
  HttpClient http(server.endpoint(), 10s);
  ASSERT_EQ(http.post("/api/debug/create-test-call/guarded", R"({"call_id": "g1"})",
                      {{"Authorization", "Bearer guarded-token"}})
                .status,
            200u);
  ASSERT_EQ(tail.wait(15s), 0) << tail.err();
  EXPECT_EQ(json::parse(tail.out()).at("call").at("id"), "g1");
}

TEST(CliTailToken, AMissingOrWrongTokenIsTheServersNoExitOne) {
  TestServer server({}, SyncMode::full, guarded_access());
  const auto refused = run_against(server.endpoint(), {"tail", "--client", "guarded", "--for", "10s"});
  EXPECT_EQ(refused.code, 1) << refused.all();
  EXPECT_THAT(refused.err, HasSubstr("401"));
  const auto unscoped = run_against(server.endpoint(), {"tail", "--for", "10s", "--token", "guarded-token"});
  EXPECT_EQ(unscoped.code, 1) << "the all-tenants feed needs the admin token\n" << unscoped.all();
  EXPECT_THAT(unscoped.err, HasSubstr("401"));
}

// The server is `vapidash serve` in a child process: killed with SIGKILL, then started again on the same port
// over the same database. tail says on stderr that it lost the feed, reconnects, and prints what the new
// server broadcasts; stdout stays pure JSON lines.
TEST(CliTailReconnect, SurvivesAServerRestart) {
  TempDir dir;
  const auto db = dir.file("tail.db");
  auto serve = std::make_unique<ServeProcess>(db);
  const auto endpoint = serve->endpoint();
  HttpClient before(endpoint, 10s);

  CliProcess tail({"--server", endpoint.url(), "tail", "--json", "--count", "3"});
  ASSERT_TRUE(eventually([&] { return dashboards_connected(endpoint) == 1; }, 10s)) << tail.err();
  ASSERT_EQ(before.post("/api/debug/create-test-call/demo-client", R"({"call_id": "r0"})").status, 200u);
  tail.wait_for_stdout_line("\"r0\"", 10s);

  serve->process().signal(SIGKILL);
  ASSERT_EQ(serve->process().wait(10s), 128 + SIGKILL);
  serve.reset();
  const auto lost = tail.wait_for_stderr_line("reconnect", 10s);
  EXPECT_THAT(lost, HasSubstr("vapidash tail:"));

  serve = std::make_unique<ServeProcess>(db, endpoint.port);
  ASSERT_EQ(serve->endpoint().port, endpoint.port);
  tail.wait_for_stderr_line("reconnected", 20s);
  ASSERT_TRUE(eventually([&] { return dashboards_connected(endpoint) == 1; }, 10s)) << tail.err();

  HttpClient after(endpoint, 10s);
  ASSERT_EQ(after.post("/api/debug/create-test-call/demo-client", R"({"call_id": "r1", "status": "ringing"})")
                .status,
            200u);
  ASSERT_EQ(
      after.post("/api/debug/create-test-call/demo-client", R"({"call_id": "r0", "status": "ended"})").status,
      200u);
  ASSERT_EQ(tail.wait(15s), 0) << tail.out() << tail.err();

  const auto lines = lines_of(tail.out());
  ASSERT_EQ(lines.size(), 3u) << tail.out();
  std::vector<std::pair<std::string, std::string>> seen;
  for (const auto& line : lines) {
    const auto message = json::parse(line);  // no notice ever lands on stdout
    seen.emplace_back(message.at("call").at("id"), message.at("call").at("status"));
  }
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{
                      {"r0", "in-progress"}, {"r1", "ringing"}, {"r0", "ended"}}));
  EXPECT_THAT(tail.err(), Not(HasSubstr("{")));
}

// Human output across a restart: the previous status is remembered, so the line says where the call came
// from.
TEST(CliTailReconnect, RemembersStatusesAcrossARestartAndQuietHidesNotices) {
  TempDir dir;
  const auto db = dir.file("tail.db");
  auto serve = std::make_unique<ServeProcess>(db);
  const auto endpoint = serve->endpoint();

  CliProcess loud({"--server", endpoint.url(), "tail", "--count", "2"});
  CliProcess quiet({"--server", endpoint.url(), "tail", "--count", "2", "--quiet"});
  ASSERT_TRUE(eventually([&] { return dashboards_connected(endpoint) == 2; }, 10s));
  HttpClient before(endpoint, 10s);
  ASSERT_EQ(
      before.post("/api/debug/create-test-call/demo-client", R"({"call_id": "h1", "status": "ringing"})")
          .status,
      200u);
  loud.wait_for_stdout_line("h1", 10s);
  quiet.wait_for_stdout_line("h1", 10s);

  serve->process().signal(SIGTERM);  // a graceful stop this time: the feeds are closed with 1001
  ASSERT_EQ(serve->process().wait(15s), 0);
  serve.reset();
  loud.wait_for_stderr_line("reconnect", 10s);
  serve = std::make_unique<ServeProcess>(db, endpoint.port);
  loud.wait_for_stderr_line("reconnected", 20s);
  ASSERT_TRUE(eventually([&] { return dashboards_connected(endpoint) == 2; }, 20s)) << quiet.err();

  HttpClient after(endpoint, 10s);
  ASSERT_EQ(
      after.post("/api/debug/create-test-call/demo-client", R"({"call_id": "h1", "status": "in-progress"})")
          .status,
      200u);
  ASSERT_EQ(loud.wait(15s), 0) << loud.out() << loud.err();
  ASSERT_EQ(quiet.wait(15s), 0) << quiet.out() << quiet.err();
  EXPECT_THAT(lines_of(loud.out()).back(), HasSubstr("h1  debug ringing → in-progress"));
  const auto quiet_lines = lines_of(quiet.out());
  EXPECT_EQ(quiet_lines, (std::vector<std::string>{"h1", "h1"})) << quiet.out();
  EXPECT_EQ(quiet.err(), "") << "--quiet keeps reconnect notices off stderr";
}

// While the server is down tail retries with growing delays, and Ctrl-C or --for still end it with exit 0.
TEST(CliTailReconnect, BacksOffWhileTheServerIsDownAndStillStopsCleanly) {
  TempDir dir;
  auto serve = std::make_unique<ServeProcess>(dir.file("down.db"));
  const auto endpoint = serve->endpoint();
  const auto started = std::chrono::steady_clock::now();
  CliProcess interrupted({"--server", endpoint.url(), "tail"});
  CliProcess timed({"--server", endpoint.url(), "tail", "--for", "4s"});
  ASSERT_TRUE(eventually([&] { return dashboards_connected(endpoint) == 2; }, 10s));
  // Not synchronisation: the loss is placed 3 s into --for's 4 s, so ending at 4 s (counted from the start)
  // and at 7 s (counted from the loss) are far apart.
  std::this_thread::sleep_until(started + 3s);
  serve->process().signal(SIGKILL);
  serve->process().wait(10s);
  serve.reset();
  EXPECT_EQ(timed.wait(15s), 0) << timed.err();
  const auto ended = std::chrono::steady_clock::now() - started;
  EXPECT_GE(ended, 4s) << "--for ended early";
  EXPECT_LT(ended, 6500ms) << "--for counts from the start, not from the loss";

  std::vector<double> delays;
  const std::regex delay(R"(reconnecting in ([0-9.]+)(ms|s))");
  for (int i = 0; i < 3; ++i) {
    const auto line = interrupted.wait_for_stderr_line("reconnecting in", 10s);
    std::smatch match;
    ASSERT_TRUE(std::regex_search(line, match, delay)) << line;
    delays.push_back(std::stod(match[1]) / (match[2] == "ms" ? 1000.0 : 1.0));
  }
  EXPECT_LT(delays[0], delays[1]) << interrupted.err();
  EXPECT_LT(delays[1], delays[2]) << interrupted.err();

  interrupted.signal(SIGINT);
  EXPECT_EQ(interrupted.wait(10s), 0) << interrupted.err();
  EXPECT_EQ(interrupted.out(), "");
  EXPECT_EQ(timed.out(), "");
}

}  // namespace
}  // namespace vapidash::test::cli
