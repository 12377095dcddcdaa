// The pieces of `vapidash load` that need no server: request templates, the plan made of a scenario, the
// arrival schedule and the delivery ledger.

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"
#include "vapidash/load/arrival_schedule.hpp"
#include "vapidash/load/delivery_ledger.hpp"
#include "vapidash/load/load_plan.hpp"

namespace vapidash::test {
namespace {

using Hole = RequestTemplate::Hole;
using std::chrono::milliseconds;

timestamp at_ms(std::int64_t ms) {
  return timestamp(std::chrono::duration_cast<timestamp::duration>(milliseconds(ms)));
}

TEST(RequestTemplate, FillsCallIdsAndTheTimeOfEachSend) {
  const RequestTemplate text("{\"id\":\"" + RequestTemplate::marker(Hole::call, 0) + "\",\"other\":\"x-" +
                             RequestTemplate::marker(Hole::call, 1) + "\",\"timestamp\":\"" +
                             RequestTemplate::marker(Hole::now_ms) + "\",\"note\":\"at " +
                             RequestTemplate::marker(Hole::now_ms) + "\"}");
  std::string out;
  text.render(out, {"load-1-7", "load-1-7-b"}, at_ms(1700000000123));
  EXPECT_EQ(out,
            R"({"id":"load-1-7","other":"x-load-1-7-b","timestamp":1700000000123,"note":"at 1700000000123"})")
      << "a whole-string ${now_ms} is a number; inside text it is digits";
  EXPECT_EQ(text.holes(), 4u);
  std::string plain;
  RequestTemplate("no holes").render(plain, {}, at_ms(0));
  EXPECT_EQ(plain, "no holes");
}

class LoadPlanTest : public ::testing::Test {
 protected:
  Scenario scenario_of(json steps, json extra = json::object()) {
    json document{
        {"vapidash_scenario", 1}, {"name", "plan"}, {"client", "acme"}, {"steps", std::move(steps)}};
    for (const auto& [key, value] : extra.items()) document[key] = value;
    const auto path = dir_.file("plan.json");
    std::ofstream(path) << dump_json(document);
    return load_scenario(path, {});
  }

  static std::string body_of(const LoadSend& send, const std::vector<std::string>& ids) {
    std::string out;
    send.body.render(out, ids, at_ms(42));
    return out;
  }

  TempDir dir_;
};

TEST_F(LoadPlanTest, SendsBecomeTemplatesWithFreshCallIdsAndTimestamps) {
  const auto scenario = scenario_of(
      json::array({json{{"webhook", {{"type", "status-update"}, {"status", "ringing"}}}},
                   json{{"sleep", 250}}, json{{"expect_call", {{"match", {{"status", "ringing"}}}}}},
                   json{{"debug_call", {{"body", {{"call_id", "${calls.second}"}, {"status", "ringing"}}}}},
                        {"expect", {{"status", 200}}}}}),
      json{{"calls", json::array({"second"})}});
  const LoadPlan plan(scenario, Credentials{std::string("tok"), std::string("shh"), std::nullopt});
  ASSERT_EQ(plan.sends().size(), 2u);
  EXPECT_EQ(plan.skipped_expectations(), 1u);
  const auto ids = plan.call_ids("run", 7);
  EXPECT_EQ(ids, (std::vector<std::string>{"load-run-7", "load-run-7-second"}));

  const auto& webhook = plan.sends()[0];
  std::string target;
  webhook.target.render(target, ids, at_ms(42));
  EXPECT_EQ(target, "/webhooks/vapi/acme");
  const auto message = json::parse(body_of(webhook, ids))["message"];
  EXPECT_EQ(message["call"]["id"], "load-run-7");
  EXPECT_EQ(message["status"], "ringing");
  EXPECT_EQ(message["timestamp"], 42) << "stamped when sent";
  EXPECT_EQ(webhook.headers, (HeaderList{{"x-vapi-secret", "shh"}}));

  const auto& debug = plan.sends()[1];
  EXPECT_EQ(json::parse(body_of(debug, ids))["call_id"], "load-run-7-second");
  EXPECT_EQ(debug.headers, (HeaderList{{"authorization", "Bearer tok"}}));

  std::mt19937_64 random(1);
  const auto actions = plan.actions(random);
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(actions[0].send, &plan.sends()[0]);
  EXPECT_EQ(actions[1].send, nullptr);
  EXPECT_EQ(actions[1].pause, milliseconds(250));
  EXPECT_EQ(actions[2].send, &plan.sends()[1]);
}

TEST_F(LoadPlanTest, AChaosGroupIsCopiedAndShuffledPerVirtualCall) {
  const auto scenario = scenario_of(json::array(
      {json{
           {"group",
            {{"chaos", {{"duplicate", 1}, {"reorder", true}}},
             {"steps", json::array({json{{"webhook", {{"type", "status-update"}, {"status", "ringing"}}}},
                                    json{{"webhook", {{"type", "status-update"}, {"status", "ended"}}}}})}}}},
       json{{"webhook", {{"type", "transcript"}}}}}));
  const LoadPlan plan(scenario, {});
  std::set<std::vector<const LoadSend*>> orders;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    std::mt19937_64 random(seed);
    const auto actions = plan.actions(random);
    ASSERT_EQ(actions.size(), 5u);
    EXPECT_EQ(actions.back().send, &plan.sends()[2]) << "the step after the group stays after it";
    std::vector<const LoadSend*> order;
    for (const auto& action : actions) order.push_back(action.send);
    orders.insert(order);
  }
  EXPECT_GT(orders.size(), 1u);
}

TEST_F(LoadPlanTest, AStepThatNeedsAnEarlierAnswerIsRefused) {
  const auto scenario = scenario_of(
      json::array({json{{"name", "first"}, {"debug_call", {{"body", {{"status", "ringing"}}}}}},
                   json{{"log_event", {{"call", "${first:call_id}"}, {"body", {{"status", "note"}}}}}}}));
  try {
    const LoadPlan plan(scenario, {});
    FAIL() << "accepted";
  } catch (const invalid_input& e) {
    EXPECT_EQ(e.code(), "load_unsupported");
    EXPECT_NE(std::string(e.what()).find("step 2"), std::string::npos) << e.what();
  }
}

TEST(ArrivalSchedule, AConstantRateSpacesStartsEvenly) {
  const ArrivalSchedule schedule(20, std::nullopt, {}, std::nullopt, std::chrono::duration<double>(2.0));
  EXPECT_DOUBLE_EQ(schedule.start_of(0)->count(), 0.0);
  EXPECT_DOUBLE_EQ(schedule.start_of(1)->count(), 0.05);
  EXPECT_DOUBLE_EQ(schedule.start_of(39)->count(), 1.95);
  EXPECT_FALSE(schedule.start_of(40));
  EXPECT_EQ(schedule.total(), 40u);
  const ArrivalSchedule counted(1000, std::nullopt, {}, 5, std::nullopt);
  EXPECT_TRUE(counted.start_of(4));
  EXPECT_FALSE(counted.start_of(5));
}

TEST(ArrivalSchedule, ARampChangesTheRateLinearlyThenHolds) {
  // From 10/s to 30/s over 10 s: 200 starts during the ramp, then 30/s.
  const ArrivalSchedule schedule(10, 30.0, std::chrono::duration<double>(10.0), std::nullopt,
                                 std::chrono::duration<double>(20.0));
  EXPECT_NEAR(schedule.start_of(200)->count(), 10.0, 1e-9);
  EXPECT_NEAR(schedule.start_of(230)->count(), 11.0, 1e-9);
  // Halfway through the ramp the rate is 20/s: 10·5 + (20/10)·25/2 = 75 starts.
  EXPECT_NEAR(schedule.start_of(75)->count(), 5.0, 1e-9);
  EXPECT_EQ(schedule.total(), 500u);
  const ArrivalSchedule down(30, 0.0, std::chrono::duration<double>(10.0), std::nullopt, std::nullopt);
  EXPECT_TRUE(down.start_of(149));
  EXPECT_FALSE(down.start_of(150)) << "a ramp down to 0 ends the schedule";
}

TEST(DeliveryLedger, MatchesEachUpsertToTheRequestThatCausedIt) {
  using clock = DeliveryLedger::clock;
  const auto t0 = clock::now();
  DeliveryLedger ledger(2);
  // Call c: request 1 (event 11) changes it, request 2 (event 12) does not, request 3 (event 13) does.
  ledger.answered("c", 11, t0);
  ledger.reference_event("c", 11);
  ledger.reference_upsert("c", 0xa);
  ledger.delivered(0, "c", 0xa, t0 + milliseconds(2));
  // Feed 1 hears the first upsert before the reference and before the answer of request 3.
  ledger.delivered(1, "c", 0xa, t0 + milliseconds(3));
  ledger.answered("c", 12, t0 + milliseconds(10));
  ledger.reference_event("c", 12);
  ledger.delivered(1, "c", 0xb, t0 + milliseconds(25));
  ledger.reference_event("c", 13);
  ledger.reference_upsert("c", 0xb);
  ledger.answered("c", 13, t0 + milliseconds(20));
  EXPECT_FALSE(ledger.settled()) << "feed 0 has not received the second upsert";
  ledger.delivered(0, "c", 0xb, t0 + milliseconds(24));
  EXPECT_TRUE(ledger.settled());
  const auto totals = ledger.totals();
  EXPECT_EQ(totals.expected, 4u);
  EXPECT_EQ(totals.received, 4u);
  EXPECT_EQ(totals.lost + totals.duplicated + totals.reordered, 0u);
  const auto latency = ledger.latency();
  EXPECT_EQ(latency.count(), 4u);
  EXPECT_NEAR(static_cast<double>(latency.max()), 5e6, 5e4) << "25 ms arrival - 20 ms intended send";
}

TEST(DeliveryLedger, CountsLostDuplicatedAndReorderedPerFeedAndIgnoresOtherCalls) {
  const auto t0 = DeliveryLedger::clock::now();
  DeliveryLedger ledger(3);
  for (std::uint64_t event : {1, 2}) {
    ledger.answered("c", event, t0);
    ledger.reference_event("c", event);
    ledger.reference_upsert("c", event * 100);
  }
  ledger.reference_event("someone-else", 9);
  ledger.reference_upsert("someone-else", 900);
  ledger.delivered(0, "someone-else", 900, t0);
  ledger.delivered(0, "c", 100, t0);  // feed 0: only the first
  for (const std::uint64_t hash : {100, 200, 200}) ledger.delivered(1, "c", hash, t0);  // a copy
  for (const std::uint64_t hash : {200, 100}) ledger.delivered(2, "c", hash, t0);       // swapped
  const auto totals = ledger.totals();
  EXPECT_EQ(totals.expected, 6u);
  EXPECT_EQ(totals.feeds[0].lost, 1u);
  EXPECT_EQ(totals.feeds[1].duplicated, 1u);
  EXPECT_EQ(totals.feeds[2].reordered, 2u);
  EXPECT_EQ(totals.lost, 1u);
  EXPECT_EQ(totals.duplicated, 1u);
  EXPECT_EQ(totals.reordered, 2u);
  EXPECT_FALSE(ledger.settled());
}

}  // namespace
}  // namespace vapidash::test
