// What every store engine must do alike: the Store interface's contract, run against SQLite in the unit
// tests and against PostgreSQL in the postgres suite (each instantiates StoreConformance with its engine).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "support/retention_steps.hpp"
#include "support/store_calls.hpp"
#include "support/store_conformance.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {

using strings = std::vector<std::string>;

TEST_P(StoreConformance, InsertTakesTheDefaults) {
  const auto before = now_utc();
  const auto outcome = apply_now(update_of("demo-client", "call-1"));
  const auto after = now_utc();
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(outcome->updated);
  EXPECT_GT(outcome->status_event_id, 0);

  const Call& call = outcome->call;
  EXPECT_EQ(call.client_id, "demo-client");
  EXPECT_EQ(call.id, "call-1");
  EXPECT_EQ(call.phone_number, "+15555550123");
  EXPECT_EQ(call.status, "in-progress");
  ASSERT_TRUE(call.started_at);
  EXPECT_EQ(*call.started_at, call.created_at);
  EXPECT_EQ(call.updated_at, call.created_at);
  EXPECT_EQ(call.ended_at, std::nullopt);
  EXPECT_EQ(call.listen_url, std::nullopt);
  EXPECT_TRUE(std::regex_match(call.created_at, timestamp_format)) << call.created_at;

  // created_at is the UTC time of the write, not local time.
  const auto created = parse_timestamp(call.created_at);
  ASSERT_TRUE(created) << call.created_at;
  EXPECT_GE(*created, before);
  EXPECT_LE(*created, after);

  EXPECT_EQ(store_->find_call("demo-client", "call-1"), call);
  EXPECT_EQ(store_->list_calls(query_of("demo-client")), std::vector<Call>{call});
}

TEST_P(StoreConformance, InsertTakesTheGivenFields) {
  const auto outcome =
      apply_now(update_of("demo-client", "call-xyz-1", "ringing", "+18885550111", json{{"note", "first"}}));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->call.phone_number, "+18885550111");
  EXPECT_EQ(outcome->call.status, "ringing");

  const auto events = store_->list_events({"demo-client", "call-xyz-1"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, outcome->status_event_id);
  EXPECT_EQ(events[0].status, "ringing");
  EXPECT_EQ(events[0].created_at, outcome->call.created_at);
  EXPECT_EQ(events[0].payload, (json{{"note", "first"}}));
}

TEST_P(StoreConformance, UpdateKeepsFieldsLeftOut) {
  const auto created = apply_now(update_of("demo-client", "call-1", "ringing", "+18885550111"));
  ASSERT_TRUE(created);

  const auto status_changed = apply_now(update_of("demo-client", "call-1", "in-progress"));
  ASSERT_TRUE(status_changed);
  EXPECT_TRUE(status_changed->updated);
  EXPECT_EQ(status_changed->call.status, "in-progress");
  EXPECT_EQ(status_changed->call.phone_number, "+18885550111");
  EXPECT_EQ(status_changed->call.created_at, created->call.created_at);
  EXPECT_EQ(status_changed->call.started_at, created->call.started_at);
  EXPECT_NE(status_changed->call.updated_at, created->call.updated_at);
  EXPECT_GT(parse_timestamp(status_changed->call.updated_at), parse_timestamp(created->call.updated_at));

  const auto phone_changed = apply_now(update_of("demo-client", "call-1", std::nullopt, "+18005550000"));
  ASSERT_TRUE(phone_changed);
  EXPECT_TRUE(phone_changed->updated);
  EXPECT_EQ(phone_changed->call.status, "in-progress");
  EXPECT_EQ(phone_changed->call.phone_number, "+18005550000");
  EXPECT_EQ(phone_changed->call.created_at, created->call.created_at);
  EXPECT_GT(parse_timestamp(phone_changed->call.updated_at),
            parse_timestamp(status_changed->call.updated_at));

  EXPECT_EQ(store_->find_call("demo-client", "call-1"), phone_changed->call);
  EXPECT_EQ(store_->list_calls(query_of("demo-client")).size(), 1u);

  // Every apply logs an event for the call's status after the change.
  strings statuses;
  for (const auto& event : store_->list_events({"demo-client", "call-1"})) statuses.push_back(event.status);
  EXPECT_EQ(statuses, (strings{"ringing", "in-progress", "in-progress"}));
}

TEST_P(StoreConformance, EmptyUpdateOfAnExistingCallOnlyTouchesUpdatedAt) {
  const auto created = apply_now(update_of("demo-client", "call-1", "ringing", "+18885550111"));
  ASSERT_TRUE(created);
  const auto touched = apply_now(update_of("demo-client", "call-1"));
  ASSERT_TRUE(touched);
  EXPECT_TRUE(touched->updated);
  Call expected = created->call;
  expected.updated_at = touched->call.updated_at;
  EXPECT_EQ(touched->call, expected);
  EXPECT_NE(touched->call.updated_at, created->call.updated_at);
}

TEST_P(StoreConformance, GeneratesDistinctDebugIdsEvenWithinOneSecond) {
  // Submitted together, so they normally share a batch and a second: the later ones need a suffix.
  std::vector<Pending<CallUpdateOutcome>> pending(3);
  for (auto& p : pending) store_->apply(update_of("demo-client", ""), p.callback());
  std::vector<Call> calls;
  for (auto& p : pending) {
    const auto outcome = await(p.future);
    ASSERT_TRUE(outcome);
    EXPECT_FALSE(outcome->updated);
    calls.push_back(outcome->call);
  }

  std::map<std::int64_t, int> seen_in_second;
  std::set<std::string> distinct;
  for (const auto& call : calls) {
    const auto created = parse_timestamp(call.created_at);
    ASSERT_TRUE(created) << call.created_at;
    const auto base = "debug-" + std::to_string(unix_seconds(*created));
    const int nth = ++seen_in_second[unix_seconds(*created)];
    EXPECT_EQ(call.id, nth == 1 ? base : base + "-" + std::to_string(nth));
    distinct.insert(call.id);
    EXPECT_EQ(store_->find_call("demo-client", call.id), call);
  }
  EXPECT_EQ(distinct.size(), calls.size());
  EXPECT_EQ(store_->list_calls(query_of("demo-client")).size(), calls.size());
}

TEST_P(StoreConformance, GeneratedIdsAreScopedToTheTenant) {
  Pending<CallUpdateOutcome> demo;
  Pending<CallUpdateOutcome> acme;
  store_->apply(update_of("demo-client", ""), demo.callback());
  store_->apply(update_of("acme-agency", ""), acme.callback());
  const auto demo_outcome = await(demo.future);
  const auto acme_outcome = await(acme.future);
  ASSERT_TRUE(demo_outcome);
  ASSERT_TRUE(acme_outcome);
  for (const auto* outcome : {&*demo_outcome, &*acme_outcome}) {
    const auto created = parse_timestamp(outcome->call.created_at);
    ASSERT_TRUE(created);
    // Each tenant's first generated call in a second takes the bare id.
    EXPECT_EQ(outcome->call.id, "debug-" + std::to_string(unix_seconds(*created)));
  }
}

TEST_P(StoreConformance, TenantsAreIsolated) {
  const auto acme = apply_now(update_of("acme-agency", "shared-id", "ringing", "+18885550111"));
  const auto senior = apply_now(update_of("senior-life", "shared-id", "queued", "+18005550000"));
  ASSERT_TRUE(acme);
  ASSERT_TRUE(senior);
  EXPECT_FALSE(acme->updated);
  EXPECT_FALSE(senior->updated) << "a call id of another tenant must not count as existing";

  EXPECT_EQ(store_->find_call("acme-agency", "shared-id"), acme->call);
  EXPECT_EQ(store_->find_call("senior-life", "shared-id"), senior->call);
  EXPECT_EQ(store_->find_call("demo-client", "shared-id"), std::nullopt);

  const auto acme_changed = apply_now(update_of("acme-agency", "shared-id", "ended"));
  ASSERT_TRUE(acme_changed);
  EXPECT_TRUE(acme_changed->updated);
  EXPECT_EQ(store_->find_call("senior-life", "shared-id"), senior->call);

  EXPECT_EQ(ids(query_of("acme-agency")), (strings{"shared-id"}));
  EXPECT_EQ(ids(query_of("senior-life")), (strings{"shared-id"}));
  EXPECT_EQ(store_->list_calls(query_of("acme-agency")).front().status, "ended");
  EXPECT_EQ(store_->list_calls(query_of("senior-life")).front().status, "queued");
  EXPECT_TRUE(store_->list_calls(query_of("demo-client")).empty());

  ASSERT_TRUE(log_now("senior-life", "shared-id", "note"));
  EXPECT_EQ(store_->list_events({"acme-agency", "shared-id"}).size(), 2u);
  EXPECT_EQ(store_->list_events({"senior-life", "shared-id"}).size(), 2u);
  for (const auto& event : store_->list_events({"acme-agency", "shared-id"}))
    EXPECT_EQ(event.client_id, "acme-agency");
  EXPECT_TRUE(store_->list_events({"demo-client", "shared-id"}).empty());
}

TEST_P(StoreConformance, ListCallsNewestFirstWithLimitStatusAndBefore) {
  const strings statuses{"ringing", "in-progress", "ringing", "ended", "ringing"};
  std::vector<Call> created;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    const auto outcome = apply_now(update_of("demo-client", "c" + std::to_string(i + 1), statuses[i]));
    ASSERT_TRUE(outcome);
    if (!created.empty()) {
      ASSERT_LT(created.back().created_at, outcome->call.created_at);
    }
    created.push_back(outcome->call);
  }
  ASSERT_TRUE(apply_now(update_of("other-tenant", "c9", "ringing")));

  EXPECT_EQ(ids(query_of("demo-client")), (strings{"c5", "c4", "c3", "c2", "c1"}));
  EXPECT_EQ(ids(query_of("demo-client", 2)), (strings{"c5", "c4"}));
  EXPECT_EQ(ids(query_of("demo-client", 100)), (strings{"c5", "c4", "c3", "c2", "c1"}));
  EXPECT_EQ(ids(query_of("demo-client", std::nullopt, "ringing")), (strings{"c5", "c3", "c1"}));
  EXPECT_EQ(ids(query_of("demo-client", std::nullopt, "ended")), (strings{"c4"}));
  EXPECT_TRUE(ids(query_of("demo-client", std::nullopt, "scheduled")).empty());
  EXPECT_EQ(ids(query_of("demo-client", std::nullopt, std::nullopt, created[2].created_at)),
            (strings{"c2", "c1"}));
  EXPECT_TRUE(ids(query_of("demo-client", std::nullopt, std::nullopt, created[0].created_at)).empty());
  EXPECT_EQ(ids(query_of("demo-client", 1, "ringing", created[4].created_at)), (strings{"c3"}));

  // Paging with the cursor walks the whole list once.
  strings paged;
  std::optional<std::string> cursor;
  for (;;) {
    const auto page = store_->list_calls(query_of("demo-client", 2, std::nullopt, cursor));
    if (page.empty()) break;
    for (const auto& call : page) paged.push_back(call.id);
    cursor = page.back().created_at;
  }
  EXPECT_EQ(paged, (strings{"c5", "c4", "c3", "c2", "c1"}));

  // An update does not move a call: the order is by creation.
  ASSERT_TRUE(apply_now(update_of("demo-client", "c1", "ended")));
  EXPECT_EQ(ids(query_of("demo-client")), (strings{"c5", "c4", "c3", "c2", "c1"}));
}

// Calls created in the same microsecond: a cursor of created_at alone would skip the rest of them, so
// `before_id` (the previous page's last call) resumes within the tie, in the list's order.
TEST_P(StoreConformance, PagingWithBeforeIdCrossesCallsCreatedInTheSameMicrosecond) {
  for (const auto* id : {"t1", "t2", "t3", "t4", "t5", "t6"})
    ASSERT_TRUE(apply_now(update_of("demo-client", id)));
  ASSERT_TRUE(apply_now(update_of("other-tenant", "t9")));
  const std::string tie = "2000-01-01T00:00:00.000000";  // older than every other call
  database_->execute("UPDATE calls SET created_at = '" + tie +
                     "' WHERE id IN ('t2', 't3', 't4', 't5', 't9')");
  const auto listed = ids(query_of("demo-client"));
  ASSERT_EQ(listed, (strings{"t6", "t1", "t5", "t4", "t3", "t2"}))
      << "newest first, ties latest-stored first";

  for (std::int64_t size : {1, 2, 3, 4}) {
    strings paged;
    auto query = query_of("demo-client", size);
    for (;;) {
      const auto page = store_->list_calls(query);
      for (const auto& call : page) paged.push_back(call.id);
      if (page.size() < static_cast<std::size_t>(size)) break;
      query.before = page.back().created_at;
      query.before_id = page.back().id;
    }
    EXPECT_EQ(paged, listed) << "pages of " << size;
  }

  auto within_tie = query_of("demo-client", std::nullopt, std::nullopt, tie);
  EXPECT_TRUE(ids(within_tie).empty()) << "before alone is strictly earlier";
  within_tie.before_id = "t4";
  EXPECT_EQ(ids(within_tie), (strings{"t3", "t2"}));
  within_tie.before_id = "no-such-call";
  EXPECT_TRUE(ids(within_tie).empty()) << "an unknown before_id adds nothing";
}

TEST_P(StoreConformance, WritesReturnTheTimelineEntryAsStored) {
  const auto created = apply_now(update_of("demo-client", "call-1", "ringing", std::nullopt, json{{"n", 1}}));
  ASSERT_TRUE(created);
  ASSERT_TRUE(created->event);
  const auto logged = log_entry_now("demo-client", "call-1", "note", json{{"by", "ops"}});
  ASSERT_TRUE(logged);

  const auto events = store_->list_events({"demo-client", "call-1"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(*created->event, events[0]);
  EXPECT_EQ(*logged, events[1]);
  EXPECT_EQ(created->status_event_id, events[0].id);
}

TEST_P(StoreConformance, ListEventsIsChronologicalWithJsonPayloads) {
  const auto created =
      apply_now(update_of("demo-client", "call-1", "ringing", std::nullopt, json{{"source", "initial"}}));
  ASSERT_TRUE(created);
  const auto nested =
      json::parse(R"({"source": "debug", "nested": {"list": [1, 2.5, null, "x"], "flag": true}})");
  const auto second = log_now("demo-client", "call-1", "in-progress", nested);
  const auto third = log_now("demo-client", "call-1", "ended");
  ASSERT_TRUE(second);
  ASSERT_TRUE(third);
  EXPECT_LT(created->status_event_id, *second);
  EXPECT_LT(*second, *third);

  const auto events = store_->list_events({"demo-client", "call-1"});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].id, created->status_event_id);
  EXPECT_EQ(events[1].id, *second);
  EXPECT_EQ(events[2].id, *third);
  EXPECT_EQ(events[0].status, "ringing");
  EXPECT_EQ(events[1].status, "in-progress");
  EXPECT_EQ(events[2].status, "ended");
  EXPECT_EQ(events[0].payload, (json{{"source", "initial"}}));
  EXPECT_EQ(events[1].payload, nested);
  EXPECT_TRUE(events[2].payload.is_object());
  EXPECT_TRUE(events[2].payload.empty());
  for (const auto& event : events) {
    EXPECT_EQ(event.client_id, "demo-client");
    EXPECT_EQ(event.call_id, "call-1");
    EXPECT_TRUE(std::regex_match(event.created_at, timestamp_format)) << event.created_at;
  }
  EXPECT_LE(events[0].created_at, events[1].created_at);
  EXPECT_LE(events[1].created_at, events[2].created_at);
}

TEST_P(StoreConformance, ATimelineIsReadInPagesAfterAnId) {
  std::vector<std::int64_t> logged;
  for (int i = 0; i < 5; ++i) logged.push_back(*log_now("demo-client", "call-1", "note"));
  log_now("demo-client", "call-2", "note");

  const auto first = store_->list_events({"demo-client", "call-1", 0, 2});
  const auto second = store_->list_events({"demo-client", "call-1", first.back().id, 2});
  const auto last = store_->list_events({"demo-client", "call-1", second.back().id, 2});
  std::vector<std::int64_t> paged;
  for (const auto* page : {&first, &second, &last}) {
    for (const auto& event : *page) paged.push_back(event.id);
  }
  EXPECT_EQ(paged, logged);
  EXPECT_EQ(last.size(), 1u);
  EXPECT_TRUE(store_->list_events({"demo-client", "call-1", logged.back(), 2}).empty());
}

TEST_P(StoreConformance, ListEventsOfAnUnknownCallIsEmpty) {
  EXPECT_TRUE(store_->list_events({"demo-client", "nope"}).empty());
  EXPECT_EQ(store_->find_call("demo-client", "nope"), std::nullopt);
}

TEST_P(StoreConformance, ATimelineOnlyUpdateCreatesNoCallAndLeavesNoDeliveryKey) {
  auto update = update_of("demo-client", "call-1");
  update.source = UpdateSource::webhook;
  update.timeline_only = true;
  update.event_status = "status-update";
  update.dedupe_key = "call-1\nkey";
  const auto outcome = apply_now(update);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->call_missing);
  EXPECT_FALSE(outcome->changed);
  EXPECT_EQ(store_->find_call("demo-client", "call-1"), std::nullopt);
  EXPECT_TRUE(store_->list_events({"demo-client", "call-1"}).empty());

  // Once the call exists, the same delivery is logged: the refused one left no key behind.
  ASSERT_TRUE(apply_now(update_of("demo-client", "call-1")));
  const auto logged = apply_now(update);
  ASSERT_TRUE(logged);
  EXPECT_FALSE(logged->call_missing);
  EXPECT_FALSE(logged->duplicate);
  EXPECT_EQ(store_->list_events({"demo-client", "call-1"}).size(), 2u);
}

TEST_P(StoreConformance, ATimelineOnlyUpdateOfAnExistingCallOnlyLogsTheEvent) {
  ASSERT_TRUE(apply_now(update_of("demo-client", "call-1", "ringing")));
  const auto before = store_->find_call("demo-client", "call-1");
  auto update = update_of("demo-client", "call-1", "ended");
  update.source = UpdateSource::webhook;
  update.timeline_only = true;
  update.status = std::nullopt;
  update.event_status = "statusupdate";
  update.phone_number = "+19995550000";
  update.started_at = "2001-01-01T00:00:00.000000";
  update.ended_reason = "should-not-stick";
  update.event_payload = json{{"type", "status-update"}, {"status", "statusupdate"}};
  const auto outcome = apply_now(update);
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(outcome->changed);
  EXPECT_TRUE(outcome->updated);
  EXPECT_GT(outcome->status_event_id, 0);
  EXPECT_EQ(store_->find_call("demo-client", "call-1"), before);
  const auto events = store_->list_events({"demo-client", "call-1"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events.back().status, "statusupdate");
  EXPECT_EQ(events.back().payload, update.event_payload);
}

TEST_P(StoreConformance, LogEventDoesNotChangeTheCallRow) {
  const auto created = apply_now(update_of("demo-client", "call-1", "ringing"));
  ASSERT_TRUE(created);
  const auto before = store_->find_call("demo-client", "call-1");
  ASSERT_TRUE(before);

  const auto event_id = log_now("demo-client", "call-1", "ended", json{{"source", "debug"}});
  ASSERT_TRUE(event_id);
  EXPECT_GT(*event_id, created->status_event_id);
  EXPECT_EQ(store_->find_call("demo-client", "call-1"), before);
  EXPECT_EQ(store_->list_events({"demo-client", "call-1"}).back().status, "ended");
}

TEST_P(StoreConformance, ConcurrentWritesWithoutAGateAllComplete) {
  constexpr int threads = 4;
  constexpr int per_thread = 200;
  constexpr int submitted = threads * per_thread;

  std::atomic<std::size_t> observed_writes{0};
  store_.reset();
  store_ =
      open_store({[&](std::size_t writes, std::chrono::microseconds) { observed_writes += writes; }, {}});

  std::atomic<int> completed{0};
  std::atomic<int> failed{0};
  std::promise<void> all_done;
  auto all_done_future = all_done.get_future();
  const CloseOnExit close_on_exit(*store_);
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        // Half create calls, half log events on them, interleaved from every thread.
        const auto call_id = "t" + std::to_string(t) + "-c" + std::to_string(i / 2);
        auto done = [&](bool ok) {
          if (!ok) ++failed;
          if (++completed == submitted) all_done.set_value();
        };
        if (i % 2 == 0) {
          store_->apply(update_of("load", call_id),
                        [done](WriteResult<CallUpdateOutcome> r) { done(r.index() == 0); });
        } else {
          store_->log_event(EventRecord{"load", call_id, "note"},
                            [done](WriteResult<StatusEvent> r) { done(r.index() == 0); });
        }
      }
    });
  }
  for (auto& writer : writers) writer.join();
  ASSERT_EQ(all_done_future.wait_for(write_timeout), std::future_status::ready)
      << completed.load() << " of " << submitted << " writes completed";
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(observed_writes.load(), static_cast<std::size_t>(submitted));
  EXPECT_EQ(ids(query_of("load")).size(), static_cast<std::size_t>(submitted / 2));
  EXPECT_EQ(store_->list_events({"load", "t2-c50"}).size(), 2u);
}

TEST_P(StoreConformance, CloseCompletesQueuedWritesThenRefusesNewOnes) {
  std::vector<Pending<CallUpdateOutcome>> pending(50);
  for (std::size_t i = 0; i < pending.size(); ++i) {
    store_->apply(update_of("demo-client", "call-" + std::to_string(i)), pending[i].callback());
  }
  store_->close();
  // close() returns only after every accepted write has completed.
  for (auto& p : pending) {
    ASSERT_EQ(p.future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    const auto result = p.future.get();
    EXPECT_TRUE(std::holds_alternative<CallUpdateOutcome>(result));
  }

  Pending<CallUpdateOutcome> late_apply;
  store_->apply(update_of("demo-client", "late"), late_apply.callback());
  ASSERT_EQ(late_apply.future.wait_for(write_timeout), std::future_status::ready);
  EXPECT_TRUE(std::holds_alternative<WriteFailure>(late_apply.future.get()));

  Pending<StatusEvent> late_event;
  store_->log_event(EventRecord{"demo-client", "call-1", "ended"}, late_event.callback());
  ASSERT_EQ(late_event.future.wait_for(write_timeout), std::future_status::ready);
  EXPECT_TRUE(std::holds_alternative<WriteFailure>(late_event.future.get()));

  EXPECT_NO_THROW(store_->close());  // idempotent

  store_.reset();
  store_ = open_store();
  EXPECT_EQ(store_->list_calls(query_of("demo-client")).size(), pending.size());
  EXPECT_EQ(store_->find_call("demo-client", "late"), std::nullopt);
  EXPECT_EQ(store_->list_events({"demo-client", "call-1"}).size(), 1u);
}

TEST_P(StoreConformance, ReopeningTheFileFindsEverything) {
  const auto first = apply_now(update_of("demo-client", "call-1", "ringing", "+18885550111", json{{"n", 1}}));
  const auto second = apply_now(update_of("acme-agency", "call-2"));
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  const auto event_id = log_now("demo-client", "call-1", "ended", json{{"why", "test"}});
  ASSERT_TRUE(event_id);
  const auto calls_before = store_->list_calls(query_of("demo-client"));
  const auto events_before = store_->list_events({"demo-client", "call-1"});
  store_.reset();

  store_ = open_store();
  EXPECT_EQ(store_->find_call("demo-client", "call-1"), first->call);
  EXPECT_EQ(store_->find_call("acme-agency", "call-2"), second->call);
  EXPECT_EQ(store_->list_calls(query_of("demo-client")), calls_before);
  const auto events_after = store_->list_events({"demo-client", "call-1"});
  ASSERT_EQ(events_after.size(), events_before.size());
  for (std::size_t i = 0; i < events_after.size(); ++i) {
    EXPECT_EQ(events_after[i].id, events_before[i].id);
    EXPECT_EQ(events_after[i].status, events_before[i].status);
    EXPECT_EQ(events_after[i].created_at, events_before[i].created_at);
    EXPECT_EQ(events_after[i].payload, events_before[i].payload);
  }

  // The reopened store carries on: an existing call is updated, event ids keep growing.
  const auto again = apply_now(update_of("demo-client", "call-1", "ended"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->updated);
  EXPECT_GT(again->status_event_id, *event_id);
}

TEST_P(StoreConformance, RetentionRemovesCallsThatEndedBeforeTheCutoffWithTheirWholeTimeline) {
  seed(*store_);
  const auto removed = prune_all(*store_, PruneRequest{"2025-01-01T00:00:00.000000"});
  EXPECT_EQ(removed.calls, 2);
  EXPECT_EQ(removed.events, 3);
  EXPECT_EQ(removed.transcript_lines, 3);
  EXPECT_EQ(removed.delivery_keys, 3);
  EXPECT_FALSE(store_->find_call("acme", "old"));
  EXPECT_FALSE(store_->find_call("other", "old"));
  EXPECT_TRUE(store_->list_events({"acme", "old"}).empty());
  EXPECT_TRUE(store_->find_call("acme", "recent"));
  EXPECT_TRUE(store_->find_call("acme", "live")) << "a call that has not ended is never pruned";
  EXPECT_EQ(store_->list_events({"acme", "live"}).size(), 1u);
  EXPECT_EQ(store_->find_call_detail("acme", "recent")->transcript.size(), 1u);

  // The keys went with their call: the same delivery is now new, while a live call's key still holds.
  EXPECT_FALSE(deliver(*store_, delivery("acme", "old", "2020-01-01T00:00:00.000000", "k1")).duplicate);
  EXPECT_TRUE(deliver(*store_, delivery("acme", "live", std::nullopt, "k1")).duplicate);
}

TEST_P(StoreConformance, RetentionSmallStepsRemoveTheSameAsOneBigStep) {
  seed(*store_);
  for (int i = 0; i < 20; ++i) {
    deliver(*store_, delivery("acme", "old", "2020-01-01T00:00:00.000000", "extra-" + std::to_string(i)));
  }
  const auto removed = prune_all(*store_, PruneRequest{"2025-01-01T00:00:00.000000", std::nullopt, 3});
  EXPECT_EQ(removed.calls, 2);
  EXPECT_EQ(removed.events, 23);
  EXPECT_EQ(removed.delivery_keys, 23);
  EXPECT_FALSE(store_->find_call("acme", "old"));
  EXPECT_TRUE(store_->find_call("acme", "live"));
}

TEST_P(StoreConformance, RetentionACallADebugUpdateEndedCountsFromItsLastUpdate) {
  for (const auto* status : {"ended", "in-progress"}) {
    CallUpdate update;
    update.client_id = "acme";
    update.call_id = std::string("debug-") + status;
    update.status = status;
    deliver(*store_, update);
  }
  const auto removed = prune_all(*store_, PruneRequest{"2999-01-01T00:00:00.000000"});
  EXPECT_EQ(removed.calls, 1);
  EXPECT_FALSE(store_->find_call("acme", "debug-ended"));
  EXPECT_TRUE(store_->find_call("acme", "debug-in-progress"));
}

TEST_P(StoreConformance, RetentionOneTenantOnly) {
  seed(*store_);
  const auto removed = prune_all(*store_, PruneRequest{"2025-01-01T00:00:00.000000", "other"});
  EXPECT_EQ(removed.calls, 1);
  EXPECT_TRUE(store_->find_call("acme", "old"));
  EXPECT_FALSE(store_->find_call("other", "old"));
}

}  // namespace vapidash::test
