// `vapidash calls`, `show` and `timeline`: what they print for calls written through the real API.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "cli_test_support.hpp"

namespace vapidash::test::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Splits a table row on runs of two or more spaces (cells themselves hold at most single spaces).
std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> cells;
  static const std::regex gap(" {2,}");
  for (std::sregex_token_iterator it(row.begin(), row.end(), gap, -1), end; it != end; ++it)
    cells.push_back(*it);
  return cells;
}

class CliReadTest : public CliTest {
 protected:
  // A debug call with a few events, and a call that went through VAPI webhooks up to its end-of-call report.
  void write_calls() {
    post_json("/api/debug/create-test-call/demo-client", R"({"call_id": "old", "status": "ringing"})");
    post_json("/api/debug/create-test-call/demo-client",
              R"({"call_id": "old", "status": "in-progress", "event_payload": {"note": "answered"}})");
    post_json("/api/debug/log-status-event/demo-client/old", R"({"status": "forwarding"})");
    for (const auto* file : {"status-update-ringing.json", "status-update-in-progress.json",
                             "transcript-final.json", "end-of-call-report.json"}) {
      const auto response = http_.post("/webhooks/vapi/demo-client", read_text(examples_dir + "/" + file));
      ASSERT_EQ(response.status, 200u) << file << ": " << response.body;
      vapi_call_ = response.json_body().at("call_id").get<std::string>();
    }
    // The assistant's answer, a second later: the transcript becomes a conversation.
    auto answer = json::parse(read_text(examples_dir + "/transcript-final.json"));
    answer["message"]["role"] = "assistant";
    answer["message"]["transcript"] = "Sure, Friday at ten works.";
    answer["message"]["timestamp"] = answer["message"]["timestamp"].get<std::int64_t>() + 1000;
    const auto response = http_.post("/webhooks/vapi/demo-client", dump_json(answer));
    ASSERT_EQ(response.status, 200u) << response.body;
    post_json("/api/debug/create-test-call/other-client", R"({"call_id": "elsewhere"})");
  }
  std::string vapi_call_;
};

TEST_F(CliReadTest, CallsPrintsATableNewestFirst) {
  write_calls();
  const auto result = vapidash({"calls", "demo-client"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(result.err, "");
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 3u) << result.out;
  EXPECT_EQ(cells_of(lines[0]),
            (std::vector<std::string>{"ID", "STATUS", "PHONE", "STARTED (UTC)", "DURATION"}));

  const auto vapi = cells_of(lines[1]);
  ASSERT_EQ(vapi.size(), 5u) << lines[1];
  EXPECT_EQ(vapi[0], vapi_call_);
  EXPECT_EQ(vapi[1], "ended");
  EXPECT_EQ(vapi[2], "+14155550142");
  EXPECT_THAT(vapi[3], FullyMatches(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"));
  EXPECT_THAT(vapi[4], FullyMatches(R"([0-9]+(\.[0-9]{3})?s|[0-9]+m[0-9]{2}s)"));

  const auto debug = cells_of(lines[2]);
  ASSERT_EQ(debug.size(), 5u) << lines[2];
  EXPECT_EQ(debug[0], "old");
  EXPECT_EQ(debug[1], "in-progress");
  EXPECT_EQ(debug[2], "+15555550123");
  EXPECT_EQ(debug[4], "live") << "a call in progress has no duration yet";

  // The columns line up: every row's STATUS cell starts where the header's does.
  const auto status_column = lines[0].find("STATUS");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].find_first_not_of(' ', lines[i].find(' ')), status_column) << lines[i];
  }
}

TEST_F(CliReadTest, CallsJsonIsTheServersList) {
  write_calls();
  const auto result = vapidash({"calls", "demo-client", "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(stdout_json(result), get_json("/api/demo-client/calls"));
}

TEST_F(CliReadTest, CallsFiltersByStatusAndLimits) {
  write_calls();
  const auto ended = vapidash({"calls", "demo-client", "--status", "ended", "-q"});
  ASSERT_EQ(ended.code, 0) << ended.all();
  EXPECT_EQ(ended.out, vapi_call_ + "\n");

  const auto limited = vapidash({"calls", "demo-client", "--limit", "1", "--json"});
  ASSERT_EQ(limited.code, 0) << limited.all();
  const auto list = stdout_json(limited);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("id"), vapi_call_);

  const auto quiet = vapidash({"calls", "demo-client", "--quiet"});
  EXPECT_EQ(quiet.out, vapi_call_ + "\nold\n");
}

TEST_F(CliReadTest, CallsOfAnEmptyTenantSaysSo) {
  const auto result = vapidash({"calls", "nobody-here"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(result.out, "no calls for nobody-here\n");
  EXPECT_EQ(stdout_json(vapidash({"calls", "nobody-here", "--json"})), json::array());
}

TEST_F(CliReadTest, CallsUsageAndServerErrors) {
  for (const auto* limit : {"0", "10001", "many"}) {
    const auto result = vapidash({"calls", "demo-client", "--limit", limit});
    EXPECT_EQ(result.code, 2) << limit << "\n" << result.all();
    EXPECT_EQ(result.out, "");
  }
  EXPECT_EQ(vapidash({"calls"}).code, 2);
  const auto refused = vapidash({"calls", "bad/tenant"});
  EXPECT_EQ(refused.code, 1) << refused.all();
  EXPECT_THAT(refused.err, StartsWith("vapidash: the server answered"));
}

TEST_F(CliReadTest, ShowPrintsFieldsSummaryAndTheConversation) {
  write_calls();
  const auto detail = get_json("/api/demo-client/calls/" + vapi_call_);
  const auto result = vapidash({"show", "demo-client", vapi_call_});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto& out = result.out;
  EXPECT_THAT(out, StartsWith("call " + vapi_call_ + "  demo-client\n"));
  EXPECT_THAT(out, HasSubstr("\n  status        ended\n"));
  EXPECT_THAT(out, HasSubstr("\n  phone         +14155550142\n"));
  EXPECT_THAT(out, HasSubstr("\n  ended reason  " + detail.at("ended_reason").get<std::string>() + "\n"));
  EXPECT_THAT(out, HasSubstr("\n  listen        " + detail.at("listen_url").get<std::string>() + "\n"));
  EXPECT_THAT(out, HasSubstr("\n  recording     " + detail.at("recording_url").get<std::string>() + "\n"));
  const auto started = detail.at("started_at").get<std::string>();
  EXPECT_THAT(out,
              HasSubstr("\n  started       " + started.substr(0, 10) + " " + started.substr(11, 8) + "\n"))
      << "the same date and time as the calls table";
  const auto duration_line = out.find("\n  duration      ");
  ASSERT_NE(duration_line, std::string::npos) << out;
  EXPECT_THAT(out.substr(duration_line + 1, out.find('\n', duration_line + 1) - duration_line - 1),
              FullyMatches(R"(  duration      [0-9]+\.[0-9]{3}s)"));
  EXPECT_THAT(out, HasSubstr("\nsummary\n  " + detail.at("summary").get<std::string>() + "\n"));

  // The transcript as a conversation, in order, one "role: text" line each.
  const auto transcript_at = out.find("\ntranscript\n");
  ASSERT_NE(transcript_at, std::string::npos) << out;
  const auto conversation = lines_of(out.substr(transcript_at + 12));
  const auto& lines = detail.at("transcript");
  ASSERT_EQ(conversation.size(), lines.size()) << out;
  ASSERT_GE(lines.size(), 2u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_THAT(conversation[i], FullyMatches("  ([0-9]{2}:[0-9]{2}:[0-9]{2}  )?" +
                                              lines[i].at("role").get<std::string>() + ": .*"));
    EXPECT_THAT(conversation[i], HasSubstr(": " + lines[i].at("text").get<std::string>()));
  }
}

TEST_F(CliReadTest, ShowOfADebugCallHasNoTranscriptSection) {
  write_calls();
  const auto result = vapidash({"show", "demo-client", "old"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, HasSubstr("\n  status        in-progress\n"));
  EXPECT_THAT(result.out, HasSubstr("\n  ended         -\n"));
  EXPECT_THAT(result.out, HasSubstr("\n  duration      live\n")) << "as in the calls table";
  EXPECT_EQ(result.out.find("transcript"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("summary"), std::string::npos) << result.out;
}

TEST_F(CliReadTest, ShowJsonAndQuiet) {
  write_calls();
  const auto result = vapidash({"show", "demo-client", vapi_call_, "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(stdout_json(result), get_json("/api/demo-client/calls/" + vapi_call_));
  EXPECT_EQ(vapidash({"show", "demo-client", "old", "-q"}).out, "old\n") << "--quiet prints ids";
}

TEST_F(CliReadTest, ShowOfAnUnknownCallIsTheServersNo) {
  write_calls();
  const auto result = vapidash({"show", "demo-client", "no-such-call"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("404"));
  EXPECT_THAT(result.err, HasSubstr("not_found"));
  EXPECT_EQ(result.out, "");

  // Tenancy: another tenant's call is as unknown as a missing one.
  EXPECT_EQ(vapidash({"show", "other-client", vapi_call_}).code, 1);

  const auto as_json = vapidash({"show", "demo-client", "no-such-call", "--json"});
  EXPECT_EQ(as_json.code, 1);
  EXPECT_EQ(stdout_json(as_json).at("error").at("code"), "not_found");
}

TEST_F(CliReadTest, ShowUsageErrors) {
  EXPECT_EQ(vapidash({"show", "demo-client"}).code, 2);
  EXPECT_EQ(vapidash({"show"}).code, 2);
  EXPECT_EQ(vapidash({"show", "demo-client", "c1", "--limit", "3"}).code, 2);
}

TEST_F(CliReadTest, TimelinePrintsEventsGapsDigestsAndTheTotal) {
  write_calls();
  const auto events = get_json("/api/debug/status-events/demo-client/old");
  ASSERT_EQ(events.size(), 3u);
  const auto result = vapidash({"timeline", "demo-client", "old"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 5u) << result.out;
  EXPECT_EQ(cells_of(lines[0]),
            (std::vector<std::string>{"#", "TIME (UTC)", "STATUS", "SINCE PREV", "PAYLOAD"}));

  const std::vector<std::string> digests = {"", R"({"note":"answered"})", ""};
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& row = lines[i + 1];
    const auto& event = events[i];
    EXPECT_THAT(row, StartsWith(std::to_string(event.at("id").get<std::int64_t>()) + " ")) << row;
    EXPECT_THAT(row, HasSubstr("  " + event.at("created_at").get<std::string>().substr(11) + "  ")) << row;
    EXPECT_THAT(row, HasSubstr("  " + event.at("status").get<std::string>())) << row;
    if (i == 0) {
      EXPECT_EQ(row.find('+'), std::string::npos) << "the first event has no previous one: " << row;
    } else {
      EXPECT_THAT(row, FullyMatches(R"(.*  \+[0-9]+\.[0-9]{3}s.*)")) << row;
    }
    if (!digests[i].empty()) {
      EXPECT_THAT(row, HasSubstr(digests[i]));
    }
  }
  EXPECT_THAT(lines[4], FullyMatches(R"(total  [0-9]+\.[0-9]{3}s \(first to last event\))"));
}

TEST_F(CliReadTest, TimelineOfAVapiCallDigestsMessagesAndUsesTheCallsDuration) {
  write_calls();
  const auto result = vapidash({"timeline", "demo-client", vapi_call_});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, HasSubstr("status-update ringing"));
  EXPECT_THAT(result.out, HasSubstr("status-update in-progress"));
  EXPECT_THAT(result.out, HasSubstr("transcript final user: Hi, I'd like to move my"));
  EXPECT_THAT(result.out, HasSubstr("end-of-call-report"));
  EXPECT_THAT(lines_of(result.out).back(), FullyMatches(R"(total  .* \(call\))"));

  // The call's reported duration, which is not the span of its events.
  const auto duration = get_json("/api/demo-client/calls/" + vapi_call_).at("duration_seconds");
  ASSERT_TRUE(duration.is_number());
  const auto document = stdout_json(vapidash({"timeline", "demo-client", vapi_call_, "--json"}));
  EXPECT_EQ(document.at("duration_basis"), "call");
  EXPECT_EQ(document.at("duration_seconds"), duration);
  double span = 0;
  for (const auto& event : document.at("events")) {
    if (event.at("since_previous_seconds").is_number())
      span += event.at("since_previous_seconds").get<double>();
  }
  EXPECT_NE(duration.get<double>(), span) << "the test cannot tell the call's duration from the events' span";
}

TEST_F(CliReadTest, TimelineJson) {
  write_calls();
  const auto result = vapidash({"timeline", "demo-client", "old", "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto document = stdout_json(result);
  const auto events = get_json("/api/debug/status-events/demo-client/old");
  EXPECT_EQ(document.at("client_id"), "demo-client");
  EXPECT_EQ(document.at("call_id"), "old");
  ASSERT_EQ(document.at("events").size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& row = document.at("events")[i];
    EXPECT_EQ(row.at("id"), events[i].at("id"));
    EXPECT_EQ(row.at("created_at"), events[i].at("created_at"));
    EXPECT_EQ(row.at("status"), events[i].at("status"));
    EXPECT_EQ(row.at("payload"), events[i].at("payload"));
    EXPECT_EQ(row.at("since_previous_seconds").is_null(), i == 0);
  }
  EXPECT_TRUE(document.at("duration_seconds").is_number());
  EXPECT_EQ(document.at("duration_basis"), "first to last event");
  std::string ids;
  for (const auto& event : events) ids += std::to_string(event.at("id").get<std::int64_t>()) + "\n";
  EXPECT_EQ(vapidash({"timeline", "demo-client", "old", "-q"}).out, ids) << "--quiet prints the event ids";
}

// Like show: an unknown call is the server's 404 and exit 1, in text and in JSON.
TEST_F(CliReadTest, TimelineOfAnUnknownCallIsExitOne) {
  const auto result = vapidash({"timeline", "demo-client", "nothing"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("404"));
  EXPECT_THAT(result.err, HasSubstr("not_found"));
  EXPECT_EQ(result.out, "");
  const auto json_result = vapidash({"timeline", "demo-client", "nothing", "--json"});
  EXPECT_EQ(json_result.code, 1);
  EXPECT_EQ(stdout_json(json_result).at("error").at("code"), "not_found");
}

// The debug endpoint records events on any call id: those still make a timeline, with a warning when logged.
TEST_F(CliReadTest, EventsOnACallThatWasNeverCreatedWarnAndStillShow) {
  const auto logged = vapidash({"event", "demo-client", "orphan", "noted"});
  EXPECT_EQ(logged.code, 0) << logged.all();
  EXPECT_THAT(logged.err, HasSubstr("warning: no call orphan of demo-client exists"));
  EXPECT_EQ(vapidash({"event", "demo-client", "orphan", "noted", "-q"}).err, "") << "--quiet: errors only";
  const auto timeline = vapidash({"timeline", "demo-client", "orphan"});
  EXPECT_EQ(timeline.code, 0) << timeline.all();
  EXPECT_THAT(timeline.out, HasSubstr("noted"));
}

TEST_F(CliReadTest, AnEndedCallIsNeverLive) {
  post_json("/api/debug/create-test-call/demo-client", R"({"call_id": "done", "status": "ended"})");
  const auto table = vapidash({"calls", "demo-client"}).out;
  const auto rows = lines_of(table);
  ASSERT_EQ(rows.size(), 2u) << table;
  EXPECT_NE(cells_of(rows[1]).back(), "live") << table;
  const auto show = vapidash({"show", "demo-client", "done"}).out;
  EXPECT_EQ(show.find("live"), std::string::npos) << show;
}

TEST_F(CliReadTest, TimelineErrors) {
  EXPECT_EQ(vapidash({"timeline", "demo-client"}).code, 2);
  const auto refused = vapidash({"timeline", "demo-client", "bad call id"});
  EXPECT_EQ(refused.code, 1) << refused.all();
  EXPECT_THAT(refused.err, HasSubstr("invalid_identifier"));
}

TEST(CliReadServerDown, EveryReadCommandExitsThree) {
  RefusingPort nobody;
  for (const std::vector<std::string>& args : {std::vector<std::string>{"calls", "demo-client"},
                                               {"show", "demo-client", "c1"},
                                               {"timeline", "demo-client", "c1"},
                                               {"calls", "demo-client", "--json"}}) {
    const auto result = run_against(nobody.endpoint(), args);
    EXPECT_EQ(result.code, 3) << args[0] << "\n" << result.all();
    EXPECT_THAT(result.err, HasSubstr("cannot connect to " + nobody.endpoint().url()));
    EXPECT_EQ(result.out, "") << args[0];
  }
}

}  // namespace
}  // namespace vapidash::test::cli
