#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"
#include "vapidash/scenario/json_subset.hpp"
#include "vapidash/scenario/scenario.hpp"
#include "vapidash/scenario/template.hpp"

namespace vapidash::test {
namespace {

// ---- matching

TEST(JsonSubsetTest, ExtraKeysAreFineMissingOrDifferentOnesAreNamed) {
  const json actual{{"id", "c1"}, {"status", "ended"}, {"cost", 0.5}, {"extra", true}};
  EXPECT_TRUE(match_subset(json{{"status", "ended"}, {"cost", 0.5}}, actual).empty());
  const auto mismatches = match_subset(json{{"status", "ringing"}, {"summary", "x"}}, actual);
  ASSERT_EQ(mismatches.size(), 2u);
  EXPECT_EQ(mismatches[0].pointer, "/status");
  EXPECT_EQ(mismatches[0].expected, "\"ringing\"");
  EXPECT_EQ(mismatches[0].actual, "\"ended\"");
  EXPECT_EQ(mismatches[1].pointer, "/summary");
  EXPECT_EQ(mismatches[1].actual, "(missing)");
}

TEST(JsonSubsetTest, NumbersCompareAsNumbersArraysElementByElement) {
  EXPECT_TRUE(match_subset(json{{"n", 1}}, json{{"n", 1.0}}).empty());
  EXPECT_TRUE(match_subset(json::array({"a", "b"}), json::array({"a", "b"})).empty());
  EXPECT_EQ(match_subset(json::array({"a"}), json::array({"a", "b"})).at(0).pointer, "");
  EXPECT_EQ(match_subset(json::array({"a", "x"}), json::array({"a", "b"})).at(0).pointer, "/1");
  EXPECT_EQ(match_subset(json{{"a/b", 1}}, json{{"a/b", 2}}).at(0).pointer, "/a~1b");
}

TEST(JsonSubsetTest, Matchers) {
  const json actual{{"id", "c1"}, {"n", 3}, {"none", nullptr}, {"text", "moved to Friday"}};
  EXPECT_TRUE(match_subset(json{{"id", {{"$any", "string"}}}, {"n", {{"$any", "number"}}}}, actual).empty());
  EXPECT_FALSE(match_subset(json{{"id", {{"$any", "number"}}}}, actual).empty());
  EXPECT_TRUE(match_subset(json{{"gone", {{"$absent", true}}}}, actual).empty());
  EXPECT_FALSE(match_subset(json{{"none", {{"$absent", true}}}}, actual).empty()) << "null is not absent";
  EXPECT_TRUE(match_subset(json{{"none", nullptr}}, actual).empty());
  EXPECT_TRUE(match_subset(json{{"text", {{"$contains", "Friday"}}}}, actual).empty());
  EXPECT_FALSE(match_subset(json{{"text", {{"$contains", "Monday"}}}}, actual).empty());
  EXPECT_FALSE(match_subset(json{{"missing", {{"$any", "value"}}}}, actual).empty());
}

TEST(JsonSubsetTest, AnUnknownDollarKeyIsNotAMatcher) {
  EXPECT_EQ(invalid_matcher(json{{"a", {{"$any", "string"}}}}), "");
  EXPECT_NE(invalid_matcher(json{{"a", {{"$anything", "string"}}}}), "");
  EXPECT_NE(invalid_matcher(json{{"a", {{"$any", "text"}}}}), "");
  EXPECT_NE(invalid_matcher(json::array({json{{"$absent", false}}})), "");
}

// ---- templates

TemplateScope scope_for_tests() {
  TemplateScope scope;
  scope.call_id = "run-1";
  scope.calls = {{"b", "run-1-b"}};
  scope.vars = {{"client", "acme"}, {"count", 3}};
  scope.answers = {
      {"ring", json{{"ok", true}, {"status_event_id", 42}, {"items", json::array({json{{"id", "x"}}})}}}};
  scope.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME_TEAM") return "blue";
    return std::nullopt;
  };
  return scope;
}

TEST(TemplateTest, ReferencesResolveAndAWholeReferenceKeepsItsType) {
  const auto scope = scope_for_tests();
  const auto out = expand_templates(json{{"a", "${call_id}"},
                                         {"b", "call ${calls.b} of ${vars.client}"},
                                         {"n", "${vars.count}"},
                                         {"id", "${ring:status_event_id}"},
                                         {"deep", "${ring:items.0.id}"},
                                         {"team", "${env:HOME_TEAM}"},
                                         {"literal", "$${call_id}"},
                                         {"list", json::array({"${vars.client}"})}},
                                    scope);
  EXPECT_EQ(out, (json{{"a", "run-1"},
                       {"b", "call run-1-b of acme"},
                       {"n", 3},
                       {"id", 42},
                       {"deep", "x"},
                       {"team", "blue"},
                       {"literal", "${call_id}"},
                       {"list", json::array({"acme"})}}));
  EXPECT_TRUE(expand_templates(json("${now_ms}"), scope).is_number());
  EXPECT_EQ(expand_templates(json("${uuid}"), scope).get<std::string>().size(), 36u);
  EXPECT_NE(expand_templates(json("${uuid}"), scope), expand_templates(json("${uuid}"), scope));
}

TEST(TemplateTest, AnUnresolvedReferenceIsAnErrorNeverALiteral) {
  const auto scope = scope_for_tests();
  for (const auto* text : {"${calls.zzz}", "${vars.nope}", "${env:NOT_SET_ANYWHERE}", "${ring:nothing.here}",
                           "${later:id}", "${what}", "x ${call_id"}) {
    EXPECT_THROW(expand_templates(json(text), scope), invalid_input) << text;
  }
  EXPECT_EQ(unresolvable("later:id", scope, {"ring"}),
            "${later:id}: no step named \"later\" comes before this one");
  EXPECT_EQ(unresolvable("ring:anything", scope, {"ring"}), "");
  EXPECT_EQ(unresolvable("vars.client", scope, {}), "");
}

// ---- validation

class ScenarioFileTest : public ::testing::Test {
 protected:
  std::string write(const json& scenario, const std::string& name = "s.json") {
    const auto path = dir_.file(name);
    std::ofstream(path) << dump_json(scenario);
    return path;
  }

  // The problems load_scenario reports, as "pointer: message" lines.
  std::vector<std::string> problems(const json& scenario) {
    try {
      load_scenario(write(scenario), inputs_);
    } catch (const invalid_scenario& e) {
      std::vector<std::string> lines;
      for (const auto& p : e.problems()) lines.push_back(p.pointer + ": " + p.message);
      return lines;
    }
    return {};
  }

  static json minimal() {
    return json{{"vapidash_scenario", 1},
                {"name", "minimal"},
                {"client", "demo"},
                {"steps", json::array({json{{"webhook", {{"type", "status-update"}}}}})}};
  }

  TempDir dir_;
  ScenarioInputs inputs_;
};

TEST_F(ScenarioFileTest, AValidScenarioLoadsWithItsDefaults) {
  auto s = minimal();
  s["tags"] = json::array({"smoke"});
  s["calls"] = json::array({"a", "b"});
  s["vars"] = {{"who", "x"}};
  inputs_.vars = {{"who", "y"}};
  const auto scenario = load_scenario(write(s), inputs_);
  EXPECT_EQ(scenario.name, "minimal");
  EXPECT_TRUE(scenario.tagged("smoke"));
  EXPECT_EQ(scenario.calls, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(scenario.vars.at("who"), "y") << "--var overrides the file's default";
  ASSERT_EQ(scenario.feeds.size(), 1u);
  EXPECT_EQ(scenario.feeds[0].name, "default");
  EXPECT_EQ(scenario.feeds[0].client, "demo");
}

TEST_F(ScenarioFileTest, EveryProblemIsListedWithItsPointer) {
  auto s = minimal();
  s["vapidash_scenario"] = 2;
  s["nmae"] = "typo";
  s["steps"] = json::array({
      json{{"webhook", {{"type", "statusupdate"}}}},
      json{{"sleep", -1}},
      json{{"expect_ws", {{"feed", "other"}, {"next", json::object()}}}},
      json{{"expect_call", {{"match", {{"status", {{"$anything", 1}}}}}}}},
      json{{"webhook", {{"type", "hang"}}}, {"expect_call", json::object()}},
      json{{"debug_call", {{"body", {{"call_id", "${calls.nope}"}}}}}},
      json{{"group",
            {{"chaos", {{"reorder", true}}},
             {"steps", json::array({json{{"expect_timeline", {{"exact", json::array()}}}}})}}}},
  });
  const auto found = problems(s);
  const auto has = [&](const std::string& start) {
    return std::any_of(found.begin(), found.end(),
                       [&](const std::string& line) { return line.rfind(start, 0) == 0; });
  };
  EXPECT_TRUE(has("/vapidash_scenario: required: 1"));
  EXPECT_TRUE(has("/nmae: unknown key"));
  EXPECT_TRUE(has("/steps/0/webhook/type: unknown message type"));
  EXPECT_TRUE(has("/steps/1/sleep: expected milliseconds"));
  EXPECT_TRUE(has("/steps/2/expect_ws/feed: no feed named \"other\""));
  EXPECT_TRUE(has("/steps/3/expect_call/match: \"$anything\" is not a matcher"));
  EXPECT_TRUE(has("/steps/4: a step has one action, this one has webhook, expect_call"));
  EXPECT_TRUE(has("/steps/5/debug_call/body/call_id: ${calls.nope}: no such call"));
  EXPECT_TRUE(has("/steps/6/group/steps/0/expect_timeline: a group whose chaos duplicates or reorders"));
  EXPECT_EQ(found.size(), 9u) << ::testing::PrintToString(found);
}

TEST_F(ScenarioFileTest, NamesAreIdentifiersAsTheSchemaSays) {
  auto s = minimal();
  s["calls"] = json::array({"a b"});
  s["vars"] = {{"1st", "x"}};
  s["feeds"] = {{"every tenant", {{"client", nullptr}}}};
  s["steps"] = json::array({json{{"name", "hang up"}, {"webhook", {{"type", "hang"}}}},
                            json{{"name", "now"}, {"webhook", {{"type", "hang"}}}}});
  const auto found = problems(s);
  ASSERT_EQ(found.size(), 5u) << ::testing::PrintToString(found);
  EXPECT_EQ(found[0].rfind("/vars/1st: expected a variable name", 0), 0u) << found[0];
  EXPECT_EQ(found[1].rfind("/calls/0: expected a call name", 0), 0u) << found[1];
  EXPECT_EQ(found[2].rfind("/feeds/every tenant: expected a feed name", 0), 0u) << found[2];
  EXPECT_EQ(found[3].rfind("/steps/0/name: expected a step name", 0), 0u) << found[3];
  EXPECT_EQ(found[4].rfind("/steps/1/name: \"now\" is a reference of its own", 0), 0u) << found[4];
}

TEST_F(ScenarioFileTest, AStepAnswerIsReferencedOnlyAfterItsStep) {
  auto s = minimal();
  s["steps"] = json::array({json{{"log_event", {{"body", {{"status", "${ring:status_event_id}"}}}}}},
                            json{{"name", "ring"}, {"webhook", {{"type", "status-update"}}}},
                            json{{"log_event", {{"body", {{"status", "${ring:status_event_id}"}}}}}}});
  EXPECT_EQ(problems(s),
            (std::vector<std::string>{
                "/steps/0/log_event/body/status: ${ring:status_event_id}: no step named \"ring\" "
                "comes before this one"}));
}

TEST_F(ScenarioFileTest, NotJsonSaysWhere) {
  const auto path = dir_.file("broken.json");
  std::ofstream(path) << "{\"vapidash_scenario\": 1,";
  try {
    load_scenario(path, inputs_);
    FAIL() << "loaded";
  } catch (const invalid_scenario& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": /: not JSON at line 1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace vapidash::test
