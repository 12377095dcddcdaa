#include <fstream>

#include "cli_test_support.hpp"
#include "support/serve_banner.hpp"
#include "support/temp_dir.hpp"

namespace vapidash::test::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A scenario that rings a call, moves it to in-progress and checks the feed, the stored call and its
// timeline; `final_status` is what its last expectation claims.
json ringing_scenario(const std::string& final_status = "in-progress") {
  return json{
      {"vapidash_scenario", 1},
      {"name", "ring then answer"},
      {"tags", json::array({"smoke"})},
      {"client", "demo-client"},
      {"steps",
       json::array({
           json{{"name", "ring"},
                {"webhook",
                 {{"type", "status-update"},
                  {"status", "ringing"},
                  {"set", {{"customer.number", "+14155550142"}}}}},
                {"expect", {{"body", {{"ok", true}, {"status_event_id", {{"$any", "number"}}}}}}}},
           json{{"expect_ws", {{"next", {{"call", {{"id", "${call_id}"}, {"status", "ringing"}}}}}}}},
           json{{"name", "answer"}, {"webhook", {{"type", "status-update"}, {"status", "in-progress"}}}},
           json{{"expect_ws",
                 {{"next", {{"call", {{"status", "in-progress"}}}, {"cause", "status-update"}}}}}},
           json{{"name", "check"},
                {"expect_call", {{"match", {{"status", final_status}, {"phone_number", "+14155550142"}}}}}},
           json{{"expect_timeline", {{"exact", json::array({"ringing", "in-progress"})}}}},
       })}};
}

class CliReplayTest : public CliTest {
 protected:
  std::string write(const json& scenario, const std::string& name = "ring.json") {
    const auto path = dir_.file(name);
    std::ofstream(path) << scenario.dump(2);
    return path;
  }
  std::size_t calls_of(const std::string& tenant) {
    return server_.client().get("/api/" + tenant + "/calls").json_body().size();
  }

  TempDir dir_;
};

TEST_F(CliReplayTest, APassingScenarioExitsZeroWithASummary) {
  const auto file = write(ringing_scenario());
  const auto result = vapidash({"replay", file});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, HasSubstr("PASS " + file + "  ring then answer"));
  EXPECT_THAT(result.out, HasSubstr("1 passed, 0 failed, 0 skipped"));
  EXPECT_EQ(calls_of("demo-client"), 1u);
}

TEST_F(CliReplayTest, AFailureNamesTheStepTheFieldTheFeedAndHowToResend) {
  const auto file = write(ringing_scenario("ringing"));
  const auto result = vapidash({"replay", file});
  ASSERT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.out, HasSubstr("FAIL " + file));
  EXPECT_THAT(result.out, HasSubstr(file + ": step 5 (check): call replay-"));
  EXPECT_THAT(result.out,
              HasSubstr("  at /status:\n    - expected \"ringing\"\n    + actual   \"in-progress\""));
  EXPECT_THAT(result.out, HasSubstr("last messages on the feed:\n    default: {\"type\":\"call-upsert\""));
  EXPECT_THAT(result.out, HasSubstr("re-send: curl -sS -X GET '" + server_.endpoint().url() +
                                    "/api/demo-client/calls/replay-"));
  EXPECT_THAT(result.out,
              FullyMatches("(.|\n)*  seed [0-9]+: vapidash replay " + file + " --seed [0-9]+\n(.|\n)*"));
  EXPECT_THAT(result.out, HasSubstr("0 passed, 1 failed"));
}

TEST_F(CliReplayTest, AFailedWebhookShowsTheCurlThatResendsIt) {
  auto scenario = ringing_scenario();
  scenario["steps"][0]["expect"] = {{"status", 202}};
  const auto result = vapidash({"replay", write(scenario)});
  ASSERT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.out, HasSubstr("step 1 (ring): the answer of POST /webhooks/vapi/demo-client"));
  EXPECT_THAT(result.out, HasSubstr("  at /status:\n    - expected 202\n    + actual   200"));
  EXPECT_THAT(result.out, HasSubstr("re-send: curl -sS -X POST '" + server_.endpoint().url() +
                                    "/webhooks/vapi/demo-client' -H 'content-type: application/json' "
                                    "--data-binary '{\"message\":{\"type\":\"status-update\""));
}

TEST_F(CliReplayTest, AnInvalidScenarioIsExitTwoAndNothingIsSent) {
  auto scenario = ringing_scenario();
  scenario["steps"][2]["webhook"]["type"] = "statusupdate";
  scenario["steps"][4]["expect_call"]["match"]["status"] = "${vars.missing}";
  const auto valid = write(ringing_scenario(), "valid.json");
  const auto file = write(scenario, "invalid.json");
  const auto result = vapidash({"replay", valid, file});
  ASSERT_EQ(result.code, 2) << result.all();
  EXPECT_THAT(result.err, HasSubstr(file + ": /steps/2/webhook/type: unknown message type"));
  EXPECT_THAT(result.err,
              HasSubstr(file + ": /steps/4/expect_call/match/status: ${vars.missing}: no such variable"));
  EXPECT_THAT(result.err, HasSubstr("1 of 2 scenario files are invalid"));
  EXPECT_EQ(calls_of("demo-client"), 0u) << "no scenario runs while one is invalid";
}

TEST_F(CliReplayTest, VarsOverrideTheDefaults) {
  auto scenario = ringing_scenario();
  scenario["vars"] = {{"tenant", "demo-client"}};
  scenario["client"] = "${vars.tenant}";
  const auto result = vapidash({"replay", write(scenario), "--var", "tenant=acme"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(calls_of("acme"), 1u);
  EXPECT_EQ(calls_of("demo-client"), 0u);
}

TEST_F(CliReplayTest, RepeatAndParallelRunCopiesWithTheirOwnCallsAndSendNothingTwice) {
  const auto result = vapidash({"replay", write(ringing_scenario()), "--repeat", "6", "--parallel", "3"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, HasSubstr("6 passed, 0 failed"));
  const auto calls = server_.client().get("/api/demo-client/calls").json_body();
  ASSERT_EQ(calls.size(), 6u);
  for (const auto& call : calls) {
    const auto events =
        server_.client().get("/api/debug/status-events/demo-client/" + call.at("id").get<std::string>());
    EXPECT_EQ(events.json_body().size(), 2u) << "each webhook was delivered once: " << events.body;
  }
}

TEST_F(CliReplayTest, TagsSelectAndSkip) {
  const auto dir = dir_.file("suite");
  std::filesystem::create_directory(dir);
  auto other = ringing_scenario();
  other["tags"] = json::array({"slow"});
  std::ofstream(dir + "/a.json") << ringing_scenario().dump();
  std::ofstream(dir + "/b.json") << other.dump();
  std::ofstream(dir + "/payload.json") << R"({"message": {"type": "hang"}})";  // not a scenario: left alone
  const auto result = vapidash({"replay", dir, "--skip-tags", "slow"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, HasSubstr("1 passed, 0 failed, 1 skipped"));
  const auto tagged = vapidash({"replay", dir, "--tags", "slow,other"});
  EXPECT_THAT(tagged.out, HasSubstr("1 passed, 0 failed, 1 skipped"));
}

TEST_F(CliReplayTest, JsonAndJunitReportEveryRun) {
  const auto pass = write(ringing_scenario(), "pass.json");
  const auto fail = write(ringing_scenario("ended"), "fail.json");
  const auto junit = dir_.file("replay.xml");
  const auto result = vapidash({"replay", pass, fail, "--json", "--junit", junit});
  ASSERT_EQ(result.code, 1) << result.all();
  const auto summary = stdout_json(result);
  EXPECT_EQ(summary.at("passed"), 1);
  EXPECT_EQ(summary.at("failed"), 1);
  ASSERT_EQ(summary.at("runs").size(), 2u);
  for (const auto& run : summary.at("runs")) {
    if (run.at("passed") == true) continue;
    EXPECT_EQ(run.at("file"), fail);
    EXPECT_EQ(run.at("failure").at("step"), "step 5 (check)");
    EXPECT_EQ(run.at("failure").at("mismatches").at(0).at("pointer"), "/status");
    const auto& steps = run.at("steps");
    ASSERT_EQ(steps.size(), 5u) << "the steps up to the failing one: " << steps;
    EXPECT_EQ(steps.back().at("step"), "5");
    EXPECT_EQ(steps.back().at("passed"), false);
    EXPECT_EQ(steps.at(3).at("passed"), true);
  }
  const auto xml = read_text(junit);
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"vapidash replay\" tests=\"2\" failures=\"1\""));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"step 5 (check): call replay-"));
  EXPECT_THAT(xml, HasSubstr("    - expected &quot;ended&quot;"));
}

TEST_F(CliReplayTest, AnUnreachableServerIsExitThree) {
  TestServer nobody;
  const auto endpoint = nobody.endpoint();
  nobody.server().stop();
  const auto result = run_against(endpoint, {"replay", write(ringing_scenario())});
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, HasSubstr("cannot connect to"));
}

TEST_F(CliReplayTest, EmbeddedNeedsNoServer) {
  const auto result = run_vapidash({"replay", "--embedded", write(ringing_scenario())});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, HasSubstr("1 passed"));
  EXPECT_EQ(calls_of("demo-client"), 0u) << "the embedded server has its own database";
}

TEST_F(CliReplayTest, ValidateListsEveryProblemAndListShowsTheScenarios) {
  auto broken = ringing_scenario();
  broken["steps"][1]["expect_ws"]["feed"] = "elsewhere";
  const auto good = write(ringing_scenario(), "good.json");
  const auto bad = write(broken, "bad.json");
  const auto checked = run_vapidash({"scenario", "validate", good, bad});
  EXPECT_EQ(checked.code, 2) << checked.all();
  EXPECT_THAT(checked.out, HasSubstr("ok " + good));
  EXPECT_THAT(checked.err, HasSubstr(bad + ": /steps/1/expect_ws/feed: no feed named \"elsewhere\""));
  EXPECT_EQ(run_vapidash({"scenario", "validate", good}).code, 0);
  const auto listed = run_vapidash({"scenario", "list", good, "--json"});
  ASSERT_EQ(listed.code, 0) << listed.all();
  EXPECT_EQ(stdout_json(listed), json::array({json{{"file", good},
                                                   {"name", "ring then answer"},
                                                   {"tags", json::array({"smoke"})},
                                                   {"description", ""}}}));
}

// The bundled suite is the CI smoke test: every scenario passes on an embedded server, and on a separately
// started `vapidash serve` (with the tenants file the HMAC scenario names).
const std::string bundled = std::string(VAPIDASH_SOURCE_DIR) + "/scenarios";

CliResult replay_bundled(std::vector<std::string> args) {
  args.insert(args.begin(), {"replay", bundled, "--parallel", "4"});
  CliProcess replay(std::move(args));
  replay.wait(120s);
  return replay.result();
}

TEST(CliReplayBundled, EveryScenarioPassesOnAnEmbeddedServer) {
  const auto result = replay_bundled({"--embedded"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, HasSubstr(" passed, 0 failed, 0 skipped"));
  EXPECT_THAT(result.out, Not(HasSubstr("FAIL")));
}

TEST(CliReplayBundled, EveryScenarioPassesAgainstAServeProcess) {
  TempDir dir;
  CliProcess serve({"serve", "--listen", "127.0.0.1:0", "--db", dir.file("bundled.db"), "--log-level", "warn",
                    "--tenants", bundled + "/tenants/hmac-tenant.json"});
  const auto endpoint = served_endpoint(serve.wait_for_stdout_line("serving http://", 30s));
  const auto result = replay_bundled({"--server", endpoint.url()});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, HasSubstr(" passed, 0 failed, 0 skipped"));
}

}  // namespace
}  // namespace vapidash::test::cli
