// `vapidash call` and `vapidash event`, run as the real binary against a real server.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "cli_test_support.hpp"
#include "support/store_snapshot.hpp"
#include "support/temp_dir.hpp"

namespace vapidash::test::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CliCallTest : public CliTest {};

TEST_F(CliCallTest, CreatesANewCallAndPrintsOneHumanLine) {
  const auto result = vapidash({"call", "demo-client", "--status", "ringing"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(result.err, "");
  std::smatch match;
  ASSERT_TRUE(
      std::regex_match(result.out, match, std::regex(R"(created (debug-\d+) \(ringing\), event #(\d+)\n)")))
      << result.all();

  const auto calls = get_json("/api/demo-client/calls");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].at("id"), match[1].str());
  EXPECT_EQ(calls[0].at("status"), "ringing");
  EXPECT_EQ(calls[0].at("phone_number"), "+15555550123");
  const auto events = get_json("/api/debug/status-events/demo-client/" + match[1].str());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::to_string(events[0].at("id").get<std::int64_t>()), match[2].str());
}

TEST_F(CliCallTest, UpdatesAnExistingCallWithPhoneAndPayload) {
  ASSERT_EQ(vapidash({"call", "demo-client", "--id", "c1", "--status", "ringing"}).code, 0);
  const auto result = vapidash({"call", "demo-client", "--id", "c1", "--status", "in-progress", "--phone",
                                "+18885550111", "--payload", R"({"note": "picked up"})"});
  ASSERT_EQ(result.code, 0) << result.all();
  std::smatch match;
  ASSERT_TRUE(
      std::regex_match(result.out, match, std::regex(R"(updated c1 \(in-progress\), event #(\d+)\n)")))
      << result.all();

  const auto call = get_json("/api/demo-client/calls/c1");
  EXPECT_EQ(call.at("status"), "in-progress");
  EXPECT_EQ(call.at("phone_number"), "+18885550111");
  const auto events = get_json("/api/debug/status-events/demo-client/c1");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::to_string(events[1].at("id").get<std::int64_t>()), match[1].str());
  EXPECT_EQ(events[1].at("payload"), json::parse(R"({"note": "picked up"})"));
}

TEST_F(CliCallTest, PayloadCanComeFromAFile) {
  TempDir dir;
  const auto path = dir.file("payload.json");
  std::ofstream(path) << R"({"source": "file", "n": [1, 2]})";
  const auto result = vapidash({"call", "demo-client", "--id", "from-file", "--payload", "@" + path});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto events = get_json("/api/debug/status-events/demo-client/from-file");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("payload"), json::parse(R"({"source": "file", "n": [1, 2]})"));
}

TEST_F(CliCallTest, JsonPrintsTheServersAnswer) {
  const auto result = vapidash({"call", "demo-client", "--id", "j1", "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto answer = stdout_json(result);
  EXPECT_EQ(answer.at("ok"), true);
  EXPECT_EQ(answer.at("call_id"), "j1");
  EXPECT_EQ(answer.at("updated"), false);
  EXPECT_TRUE(answer.at("status_event_id").is_number_integer());

  const auto again = stdout_json(vapidash({"--json", "call", "demo-client", "--id", "j1"}));
  EXPECT_EQ(again.at("updated"), true);
  EXPECT_GT(again.at("status_event_id").get<std::int64_t>(),
            answer.at("status_event_id").get<std::int64_t>());
}

TEST_F(CliCallTest, QuietPrintsOnlyTheCallId) {
  const auto first = vapidash({"call", "demo-client", "-q"});
  const auto second = vapidash({"call", "demo-client", "--quiet"});
  ASSERT_EQ(first.code, 0) << first.all();
  ASSERT_EQ(second.code, 0) << second.all();
  EXPECT_THAT(first.out, FullyMatches(R"(debug-[0-9]+\n)"));
  EXPECT_THAT(second.out, FullyMatches(R"(debug-[0-9]+(-[0-9]+)?\n)"));
  EXPECT_NE(first.out, second.out) << "two creates must be two calls";
  EXPECT_EQ(get_json("/api/demo-client/calls").size(), 2u);
}

TEST_F(CliCallTest, MalformedPayloadIsAUsageErrorAndSendsNothing) {
  const auto before = store_snapshot(server_.db_path());
  const auto result = vapidash({"call", "demo-client", "--id", "x", "--payload", "{not json"});
  EXPECT_EQ(result.code, 2) << result.all();
  EXPECT_THAT(result.err, HasSubstr("vapidash:"));
  EXPECT_THAT(result.err, HasSubstr("JSON"));
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

TEST_F(CliCallTest, UnreadablePayloadFileIsAUsageError) {
  const auto before = store_snapshot(server_.db_path());
  const auto result = vapidash({"call", "demo-client", "--payload", "@/nonexistent/payload.json"});
  EXPECT_EQ(result.code, 2) << result.all();
  EXPECT_THAT(result.err, HasSubstr("/nonexistent/payload.json"));
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

TEST_F(CliCallTest, ServerRefusalExitsOneAndShowsTheErrorBody) {
  const auto result = vapidash({"call", "bad tenant!"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("400"));
  EXPECT_THAT(result.err, HasSubstr("invalid_identifier"));
  EXPECT_THAT(result.err, HasSubstr("client_id must be"));
  EXPECT_EQ(result.out, "");
}

TEST_F(CliCallTest, ServerRefusalWithJsonPrintsTheErrorBodyOnStdout) {
  const auto result = vapidash({"call", "demo-client", "--id", "bad id", "--json"});
  EXPECT_EQ(result.code, 1) << result.all();
  const auto body = stdout_json(result);
  EXPECT_EQ(body.at("ok"), false);
  EXPECT_EQ(body.at("error").at("code"), "invalid_identifier");
  EXPECT_FALSE(body.at("error").at("message").get<std::string>().empty());
}

TEST_F(CliCallTest, BadFlagsAreUsageErrors) {
  const auto before = store_snapshot(server_.db_path());
  for (const std::vector<std::string>& args : {std::vector<std::string>{"call"},
                                               {"call", "demo-client", "--bogus"},
                                               {"call", "demo-client", "--id"},
                                               {"call", "demo-client", "extra-positional"}}) {
    const auto result = vapidash(args);
    EXPECT_EQ(result.code, 2) << args.size() << " args\n" << result.all();
    EXPECT_FALSE(result.err.empty());
  }
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

TEST(CliCallServerDown, ExitsThreeWithAClearMessage) {
  RefusingPort nobody;
  const auto result = run_against(nobody.endpoint(), {"call", "demo-client", "--status", "ringing"});
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, HasSubstr("cannot connect to " + nobody.endpoint().url()));
  EXPECT_THAT(result.err, HasSubstr("vapidash serve"));
  EXPECT_EQ(result.out, "");
}

class CliEventTest : public CliTest {};

TEST_F(CliEventTest, LogsAnEventWithoutChangingTheCall) {
  ASSERT_EQ(vapidash({"call", "demo-client", "--id", "c1", "--status", "ringing"}).code, 0);
  const auto result =
      vapidash({"event", "demo-client", "c1", "forwarding", "--payload", R"({"source": "debug"})"});
  ASSERT_EQ(result.code, 0) << result.all();
  std::smatch match;
  ASSERT_TRUE(
      std::regex_match(result.out, match, std::regex(R"(logged event #(\d+) \(forwarding\) on c1\n)")))
      << result.all();

  EXPECT_EQ(get_json("/api/demo-client/calls/c1").at("status"), "ringing");
  const auto events = get_json("/api/debug/status-events/demo-client/c1");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::to_string(events[1].at("id").get<std::int64_t>()), match[1].str());
  EXPECT_EQ(events[1].at("status"), "forwarding");
  EXPECT_EQ(events[1].at("payload"), json::parse(R"({"source": "debug"})"));
}

TEST_F(CliEventTest, JsonAndQuiet) {
  const auto json_result = vapidash({"event", "demo-client", "c1", "odd-status", "--json"});
  ASSERT_EQ(json_result.code, 0) << json_result.all();
  const auto answer = stdout_json(json_result);
  EXPECT_EQ(answer.at("ok"), true);
  const auto first_id = answer.at("event_id").get<std::int64_t>();

  const auto quiet = vapidash({"event", "demo-client", "c1", "odd-status", "-q"});
  ASSERT_EQ(quiet.code, 0) << quiet.all();
  EXPECT_EQ(quiet.out, std::to_string(first_id + 1) + "\n");
  EXPECT_EQ(get_json("/api/debug/status-events/demo-client/c1").size(), 2u);
}

TEST_F(CliEventTest, PayloadFromAFile) {
  TempDir dir;
  const auto path = dir.file("event.json");
  std::ofstream(path) << R"({"from": "file"})";
  ASSERT_EQ(vapidash({"event", "demo-client", "c1", "ringing", "--payload", "@" + path}).code, 0);
  const auto events = get_json("/api/debug/status-events/demo-client/c1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("payload"), json::parse(R"({"from": "file"})"));
}

TEST_F(CliEventTest, ANonObjectPayloadIsRefusedByTheServer) {
  const auto before = store_snapshot(server_.db_path());
  const auto result = vapidash({"event", "demo-client", "c1", "ringing", "--payload", "[1, 2]"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("invalid_field"));
  EXPECT_THAT(result.err, HasSubstr("payload"));
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

TEST_F(CliEventTest, MissingArgumentsAreUsageErrors) {
  const auto before = store_snapshot(server_.db_path());
  for (const std::vector<std::string>& args : {std::vector<std::string>{"event", "demo-client", "c1"},
                                               {"event", "demo-client"},
                                               {"event"},
                                               {"event", "demo-client", "c1", "ringing", "--payload", "nope"},
                                               {"event", "demo-client", "c1", "ringing", "--frobnicate"}}) {
    const auto result = vapidash(args);
    EXPECT_EQ(result.code, 2) << result.all();
    EXPECT_FALSE(result.err.empty());
    EXPECT_THAT(result.out, Not(HasSubstr("logged")));
  }
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

TEST(CliEventServerDown, ExitsThree) {
  RefusingPort nobody;
  const auto result = run_against(nobody.endpoint(), {"event", "demo-client", "c1", "ringing"});
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, HasSubstr("cannot connect"));
}

}  // namespace
}  // namespace vapidash::test::cli
