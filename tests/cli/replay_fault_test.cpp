// `vapidash replay` against servers broken on purpose, one way each, by a test-only decorator of the Store
// they run on: every scenario here passes against the correct server, and against the broken one it fails at
// the step that checks the broken behaviour, naming the field that shows it. A harness that could not fail
// these would let the bugs they stand for through.

#include <atomic>
#include <functional>

#include "cli_test_support.hpp"
#include "support/decorated_server.hpp"
#include "vapidash/model/status.hpp"
#include "vapidash/scenario/runner.hpp"
#include "vapidash/scenario/scenario.hpp"

namespace vapidash::test::replay_faults {

// ---- the faults

// Forgets the forward-only rule: a webhook status that would move the call backwards is written as a debug
// update, which overwrites. (The scenarios send one request at a time, so the status read here is current.)
class BackwardStatusStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

  void apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) override {
    const auto stored = inner().find_call(update.client_id, update.call_id);
    if (stored && update.status && *update.status != stored->status &&
        !is_forward_move(stored->status, *update.status)) {
      update.source = UpdateSource::debug;
    }
    inner().apply(std::move(update), std::move(done));
  }
};

// Stores every write as the real store does, then changes the outcome the server acts on: what it answers,
// and what it broadcasts (the store's announcements), and to whom.
class OutcomeAlteringStore : public ForwardingStore {
 public:
  OutcomeAlteringStore(Store& inner, std::function<void(CallUpdateOutcome&)> alter)
      : ForwardingStore(inner), alter_(std::move(alter)), announcements_(alter_) {}

  void apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) override {
    inner().apply(std::move(update),
                  [alter = alter_, done = std::move(done)](WriteResult<CallUpdateOutcome> result) {
                    if (auto* outcome = std::get_if<CallUpdateOutcome>(&result)) alter(*outcome);
                    done(std::move(result));
                  });
  }

  void announce_to(ChangeSink* sink) override {
    announcements_.server = sink;
    inner().announce_to(sink != nullptr ? &announcements_ : nullptr);
  }

 private:
  // The real store's announcements, altered on their way to the server.
  struct AlteringSink final : ChangeSink {
    explicit AlteringSink(const std::function<void(CallUpdateOutcome&)>& change) : alter(change) {}
    void call_changed(const CallUpdateOutcome& outcome, const std::string& cause) override {
      auto altered = outcome;
      alter(altered);
      server->call_changed(altered, cause);
    }
    void event_logged(const StatusEvent& event) override { server->event_logged(event); }
    void changes_missed(const std::string& why) override { server->changes_missed(why); }

    const std::function<void(CallUpdateOutcome&)>& alter;
    ChangeSink* server = nullptr;
  };

  std::function<void(CallUpdateOutcome&)> alter_;
  AlteringSink announcements_;
};

// Reports the answer of a call as no change, so the server never broadcasts it.
std::unique_ptr<Store> dropping_the_answer_broadcast(Store& real) {
  return std::make_unique<OutcomeAlteringStore>(real, [](CallUpdateOutcome& outcome) {
    if (outcome.call.status == "in-progress") outcome.changed = false;
  });
}

// Every call looks like another tenant's, so its upserts go to that tenant's dashboards.
std::unique_ptr<Store> broadcasting_to_globex(Store& real) {
  return std::make_unique<OutcomeAlteringStore>(
      real, [](CallUpdateOutcome& outcome) { outcome.call.client_id = "globex"; });
}

// Forgets every delivery's dedupe key, so a re-delivered webhook is stored again.
class DuplicatingStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

  void apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) override {
    update.dedupe_key.reset();
    inner().apply(std::move(update), std::move(done));
  }
};

// Never keeps a call's end time: not in what it broadcasts, not in what it reads back.
class NoEndedAtStore : public OutcomeAlteringStore {
 public:
  explicit NoEndedAtStore(Store& inner)
      : OutcomeAlteringStore(inner, [](CallUpdateOutcome& outcome) { outcome.call.ended_at.reset(); }) {}

  std::vector<Call> list_calls(const CallQuery& query) override {
    auto calls = inner().list_calls(query);
    for (auto& call : calls) call.ended_at.reset();
    return calls;
  }

  std::optional<Call> find_call(const std::string& client_id, const std::string& call_id) override {
    auto call = inner().find_call(client_id, call_id);
    if (call) call->ended_at.reset();
    return call;
  }

  std::optional<CallDetail> find_call_detail(const std::string& client_id,
                                             const std::string& call_id) override {
    auto detail = inner().find_call_detail(client_id, call_id);
    if (detail) detail->call.ended_at.reset();
    return detail;
  }
};

template <class Fault>
std::unique_ptr<Store> decorated_with(Store& real) {
  return std::make_unique<Fault>(real);
}

// ---- the cases

// A fault, the scenario that must catch it, and where and how its failure must say so.
struct FaultCase {
  std::string name;
  std::string scenario;  // under tests/data/scenarios/faults
  StoreDecorator fault;
  std::string step;            // as the failure names it
  std::string message;         // a part of the failure's sentence
  std::string pointer;         // the field that differs, as a JSON pointer into the checked value
  std::string expected_value;  // how the failure shows the expected value there
  std::string actual_value;    // and the actual one
};

void PrintTo(const FaultCase& fault, std::ostream* out) {
  *out << fault.name;
}

const std::vector<FaultCase>& fault_cases() {
  static const std::vector<FaultCase> cases = {
      {"StatusMovesBackwards", "status-backwards.json", decorated_with<BackwardStatusStore>,
       "step 5 (still-ended)", "is not as expected", "/status", "\"ended\"", "\"in-progress\""},
      {"BroadcastDropped", "dropped-broadcast.json", dropping_the_answer_broadcast,
       "step 5 (dashboard-hears-the-answer)",
       "the next call-upsert on feed \"default\" is not the expected one", "/call/status", "\"in-progress\"",
       "\"ended\""},
      {"BroadcastToTheWrongTenant", "wrong-tenant.json", broadcasting_to_globex,
       "step 2 (broadcast-as-acmes)", "the next call-upsert on feed \"every-tenant\" is not the expected one",
       "/clientId", "\"acme\"", "\"globex\""},
      {"DuplicateEventStored", "duplicate-event.json", decorated_with<DuplicatingStore>,
       "step 2 (each-once-in-the-timeline)", "is not exactly [\"ringing\",\"in-progress\",\"ended\"]", "/1",
       "\"in-progress\"", "\"ringing\""},
      {"EndedAtNeverSet", "ended-at.json", decorated_with<NoEndedAtStore>,
       "step 6 (dashboard-hears-when-it-ended)",
       "the next call-upsert on feed \"default\" is not the expected one", "/call/endedAt", "any string",
       "null"},
  };
  return cases;
}

std::unique_ptr<Store> unbroken(Store& real) {
  return std::make_unique<ForwardingStore>(real);
}

std::string scenario_file(const FaultCase& fault) {
  return std::string(VAPIDASH_SOURCE_DIR) + "/tests/data/scenarios/faults/" + fault.scenario;
}

// Each run its own call ids, like each `vapidash replay` run.
std::string next_run_id() {
  static std::atomic<int> runs{0};
  return "faults-" + std::to_string(runs++);
}

ScenarioResult replay(const Endpoint& server, const FaultCase& fault) {
  const auto scenario = load_scenario(scenario_file(fault), ScenarioInputs{});
  RunOptions options;
  options.server = server;
  options.run_id = next_run_id();
  return run_scenario(scenario, options);
}

// Everything a failure says, for the message of an assertion about it.
std::string described(const ScenarioResult& result) {
  if (!result.failure) return "passed";
  auto text = result.failure->step + ": " + result.failure->message + "\n";
  for (const auto& m : result.failure->mismatches)
    text += "  at " + m.pointer + ": expected " + m.expected + ", actual " + m.actual + "\n";
  if (result.failure->actual) text += "  actual: " + dump_json(*result.failure->actual) + "\n";
  return text;
}

class ReplayFaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(ReplayFaultTest, TheScenarioPassesAgainstTheUnbrokenServer) {
  DecoratedServer server(unbroken);
  const auto result = replay(server.endpoint(), GetParam());
  EXPECT_TRUE(result.passed()) << described(result);
}

TEST_P(ReplayFaultTest, AgainstTheBrokenServerItFailsAtTheStepAndFieldThatShowTheFault) {
  const auto& fault = GetParam();
  DecoratedServer server(fault.fault);
  const auto result = replay(server.endpoint(), fault);
  ASSERT_FALSE(result.passed()) << "the scenario did not notice the fault";
  const auto& failure = *result.failure;
  EXPECT_EQ(failure.step, fault.step) << described(result);
  EXPECT_THAT(failure.message, ::testing::HasSubstr(fault.message)) << described(result);
  ASSERT_FALSE(failure.mismatches.empty()) << described(result);  // the first names the fault
  EXPECT_EQ(failure.mismatches[0].pointer, fault.pointer) << described(result);
  EXPECT_EQ(failure.mismatches[0].expected, fault.expected_value) << described(result);
  EXPECT_EQ(failure.mismatches[0].actual, fault.actual_value) << described(result);
}

// The real binary, as CI runs it: exit 0 against the unbroken server, then exit 1 against the broken one,
// with "FILE: step N (name): ..." and the field on stdout.
TEST_P(ReplayFaultTest, VapidashReplayExitsOneAndNamesTheStepAndTheField) {
  const auto& fault = GetParam();
  const auto file = scenario_file(fault);
  {
    DecoratedServer server(unbroken);
    const auto passing = cli::run_against(server.endpoint(), {"replay", file});
    ASSERT_EQ(passing.code, 0) << passing.all();
  }
  DecoratedServer server(fault.fault);
  const auto failing = cli::run_against(server.endpoint(), {"replay", file});
  EXPECT_EQ(failing.code, 1) << failing.all();
  const auto out = cli::plain_text(failing.out);
  EXPECT_THAT(out, ::testing::HasSubstr("FAIL " + file)) << failing.all();
  EXPECT_THAT(out, ::testing::HasSubstr(file + ": " + fault.step + ": ")) << failing.all();
  EXPECT_THAT(out, ::testing::HasSubstr(fault.message)) << failing.all();
  const auto field = fault.pointer.empty() ? std::string("/") : fault.pointer;
  EXPECT_THAT(out, ::testing::HasSubstr("  at " + field + ":\n    - expected " + fault.expected_value +
                                        "\n    + actual   " + fault.actual_value + "\n"))
      << failing.all();
  EXPECT_THAT(out, ::testing::HasSubstr("0 passed, 1 failed")) << failing.all();
}

INSTANTIATE_TEST_SUITE_P(Faults, ReplayFaultTest, ::testing::ValuesIn(fault_cases()),
                         [](const ::testing::TestParamInfo<FaultCase>& param_info) {
                           return param_info.param.name;
                         });

}  // namespace vapidash::test::replay_faults
