#include "vapidash/server/broadcast_hub.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vapidash::test {
namespace {

using server::BroadcastHub;
using server::Subscriber;

// What a fake dashboard saw; kept outside the subscriber so it can be read after the subscriber is gone.
struct Record {
  std::vector<std::shared_ptr<const std::string>> delivered;
  int restarts = 0;

  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const auto& message : delivered) out.push_back(*message);
    return out;
  }
};

class FakeSubscriber final : public Subscriber {
 public:
  explicit FakeSubscriber(std::shared_ptr<Record> record) : record_(std::move(record)) {}
  void deliver(std::shared_ptr<const std::string> message) override {
    record_->delivered.push_back(std::move(message));
  }
  void restart() override { ++record_->restarts; }

 private:
  std::shared_ptr<Record> record_;
};

struct Dashboard {
  std::shared_ptr<Record> record = std::make_shared<Record>();
  std::shared_ptr<FakeSubscriber> subscriber = std::make_shared<FakeSubscriber>(record);
};

using texts = std::vector<std::string>;

// A serializer that yields `message`.
std::function<std::string()> text(std::string message) {
  return [message = std::move(message)] { return message; };
}

TEST(BroadcastHub, UnscopedSubscriberGetsEveryTenant) {
  BroadcastHub hub;
  Dashboard all;
  hub.join(all.subscriber, {});
  hub.publish("demo-client", text("one"));
  hub.publish("acme-agency", text("two"));
  hub.publish("senior-life", text("three"));
  EXPECT_EQ(all.record->texts(), (texts{"one", "two", "three"}));
}

TEST(BroadcastHub, ScopedSubscriberGetsOnlyItsTenant) {
  BroadcastHub hub;
  Dashboard acme;
  Dashboard demo;
  hub.join(acme.subscriber, {"acme-agency"});
  hub.join(demo.subscriber, {"demo-client"});
  hub.publish("demo-client", text("d1"));
  hub.publish("acme-agency", text("a1"));
  hub.publish("senior-life", text("s1"));
  hub.publish("acme-agency", text("a2"));
  EXPECT_EQ(acme.record->texts(), (texts{"a1", "a2"}));
  EXPECT_EQ(demo.record->texts(), (texts{"d1"}));
}

TEST(BroadcastHub, ScopedAndUnscopedSubscribersEachGetATenantsMessageOnce) {
  BroadcastHub hub;
  Dashboard all;
  Dashboard acme;
  hub.join(all.subscriber, {});
  hub.join(acme.subscriber, {"acme-agency"});
  hub.publish("acme-agency", text("a1"));
  EXPECT_EQ(all.record->texts(), (texts{"a1"}));
  EXPECT_EQ(acme.record->texts(), (texts{"a1"}));
}

TEST(BroadcastHub, EventsReachOnlyTheFeedsThatAskedForThemInPublishOrder) {
  BroadcastHub hub;
  Dashboard plain;
  Dashboard all_events;
  Dashboard acme_events;
  hub.join(plain.subscriber, {});
  hub.join(all_events.subscriber, {std::nullopt, true});
  hub.join(acme_events.subscriber, {"acme-agency", true});
  hub.publish_event("acme-agency", text("event a1"));
  hub.publish("acme-agency", text("upsert a1"));
  hub.publish_event("demo-client", text("event d1"));
  hub.publish("demo-client", text("upsert d1"));
  EXPECT_EQ(plain.record->texts(), (texts{"upsert a1", "upsert d1"}));
  EXPECT_EQ(all_events.record->texts(), (texts{"event a1", "upsert a1", "event d1", "upsert d1"}));
  EXPECT_EQ(acme_events.record->texts(), (texts{"event a1", "upsert a1"}));
}

TEST(BroadcastHub, AnEventNobodyAskedForIsNeverSerialized) {
  BroadcastHub hub;
  Dashboard plain;
  hub.join(plain.subscriber, {});
  int serialized = 0;
  hub.publish_event("demo-client", [&] {
    ++serialized;
    return std::string("event");
  });
  EXPECT_EQ(serialized, 0);
  EXPECT_TRUE(plain.record->texts().empty());
}

TEST(BroadcastHub, PublishingWithoutSubscribersIsHarmless) {
  BroadcastHub hub;
  EXPECT_NO_THROW(hub.publish("demo-client", text("nobody listens")));
  EXPECT_EQ(hub.connected(), 0u);
}

TEST(BroadcastHub, SerializesOnlyWhenSomeoneListensAndOnlyOnce) {
  BroadcastHub hub;
  int serialized = 0;
  const auto counting = [&serialized] {
    ++serialized;
    return std::string("upsert");
  };
  hub.publish("demo-client", counting);
  EXPECT_EQ(serialized, 0);
  Dashboard all;
  Dashboard scoped;
  Dashboard other_tenant;
  hub.join(all.subscriber, {});
  hub.join(scoped.subscriber, {"demo-client"});
  hub.join(other_tenant.subscriber, {"acme-agency"});
  hub.publish("demo-client", counting);
  EXPECT_EQ(serialized, 1);
  EXPECT_EQ(all.record->texts(), (texts{"upsert"}));
  EXPECT_EQ(scoped.record->texts(), (texts{"upsert"}));
  EXPECT_TRUE(other_tenant.record->texts().empty());
}

TEST(BroadcastHub, LeaveStopsDelivery) {
  BroadcastHub hub;
  Dashboard all;
  Dashboard acme;
  Dashboard stays;
  hub.join(all.subscriber, {});
  hub.join(acme.subscriber, {"acme-agency"});
  hub.join(stays.subscriber, {"acme-agency"});
  hub.publish("acme-agency", text("before"));
  hub.leave(all.subscriber.get());
  hub.leave(acme.subscriber.get());
  hub.publish("acme-agency", text("after"));
  EXPECT_EQ(all.record->texts(), (texts{"before"}));
  EXPECT_EQ(acme.record->texts(), (texts{"before"}));
  EXPECT_EQ(stays.record->texts(), (texts{"before", "after"}));
}

TEST(BroadcastHub, LeavingTwiceOrWithoutJoiningIsHarmless) {
  BroadcastHub hub;
  Dashboard member;
  Dashboard stranger;
  hub.join(member.subscriber, {"demo-client"});
  hub.leave(stranger.subscriber.get());
  EXPECT_EQ(hub.connected(), 1u);
  hub.leave(member.subscriber.get());
  hub.leave(member.subscriber.get());
  EXPECT_EQ(hub.connected(), 0u);
}

TEST(BroadcastHub, RejoiningAfterLeaveDeliversAgain) {
  BroadcastHub hub;
  Dashboard dashboard;
  hub.join(dashboard.subscriber, {"demo-client"});
  hub.leave(dashboard.subscriber.get());
  hub.join(dashboard.subscriber, {"demo-client"});
  hub.publish("demo-client", text("back"));
  EXPECT_EQ(dashboard.record->texts(), (texts{"back"}));
}

TEST(BroadcastHub, ConnectedCountsJoinedSubscribers) {
  BroadcastHub hub;
  Dashboard a;
  Dashboard b;
  Dashboard c;
  EXPECT_EQ(hub.connected(), 0u);
  hub.join(a.subscriber, {});
  EXPECT_EQ(hub.connected(), 1u);
  hub.join(b.subscriber, {"acme-agency"});
  hub.join(c.subscriber, {"acme-agency"});
  EXPECT_EQ(hub.connected(), 3u);
  hub.leave(b.subscriber.get());
  EXPECT_EQ(hub.connected(), 2u);
  hub.leave(a.subscriber.get());
  hub.leave(c.subscriber.get());
  EXPECT_EQ(hub.connected(), 0u);
}

TEST(BroadcastHub, SkipsASubscriberWhoseOwnerIsGone) {
  BroadcastHub hub;
  Dashboard gone_all;
  Dashboard gone_scoped;
  Dashboard alive;
  hub.join(gone_all.subscriber, {});
  hub.join(gone_scoped.subscriber, {"demo-client"});
  hub.join(alive.subscriber, {"demo-client"});
  gone_all.subscriber.reset();
  gone_scoped.subscriber.reset();
  hub.publish("demo-client", text("still delivered"));
  EXPECT_TRUE(gone_all.record->delivered.empty());
  EXPECT_TRUE(gone_scoped.record->delivered.empty());
  EXPECT_EQ(alive.record->texts(), (texts{"still delivered"}));
}

TEST(BroadcastHub, OnePublishSharesOneStringAcrossSubscribers) {
  BroadcastHub hub;
  Dashboard all;
  Dashboard scoped;
  Dashboard also_scoped;
  hub.join(all.subscriber, {});
  hub.join(scoped.subscriber, {"demo-client"});
  hub.join(also_scoped.subscriber, {"demo-client"});
  hub.publish("demo-client", text(R"({"type":"call-upsert"})"));
  ASSERT_EQ(all.record->delivered.size(), 1u);
  ASSERT_EQ(scoped.record->delivered.size(), 1u);
  ASSERT_EQ(also_scoped.record->delivered.size(), 1u);
  const auto& shared = all.record->delivered.front();
  EXPECT_EQ(*shared, R"({"type":"call-upsert"})");
  EXPECT_EQ(scoped.record->delivered.front().get(), shared.get());
  EXPECT_EQ(also_scoped.record->delivered.front().get(), shared.get());
}

TEST(BroadcastHub, EachPublishIsItsOwnString) {
  BroadcastHub hub;
  Dashboard all;
  hub.join(all.subscriber, {});
  hub.publish("demo-client", text("same text"));
  hub.publish("demo-client", text("same text"));
  ASSERT_EQ(all.record->delivered.size(), 2u);
  EXPECT_NE(all.record->delivered[0].get(), all.record->delivered[1].get());
}

TEST(BroadcastHub, CountsDrops) {
  BroadcastHub hub;
  EXPECT_EQ(hub.dropped(), 0u);
  hub.record_drop();
  hub.record_drop();
  EXPECT_EQ(hub.dropped(), 2u);
}

TEST(BroadcastHub, WatchersOfACallHearItsPartialLinesUntilTheyUnwatchOrLeave) {
  BroadcastHub hub;
  Dashboard watcher;
  Dashboard other_call;
  Dashboard bystander;
  hub.join(watcher.subscriber, {"acme", false});
  hub.join(other_call.subscriber, {"acme", false});
  hub.join(bystander.subscriber, {"acme", false});
  ASSERT_TRUE(hub.watch(watcher.subscriber.get(), "acme", "c1"));
  ASSERT_TRUE(hub.watch(other_call.subscriber.get(), "acme", "c2"));
  hub.publish_to_watchers("acme", "c1", text("partial 1"));
  hub.unwatch(watcher.subscriber.get(), "acme", "c1");
  hub.publish_to_watchers("acme", "c1", text("partial 2"));
  EXPECT_EQ(watcher.record->texts(), texts{"partial 1"});
  EXPECT_TRUE(other_call.record->texts().empty());
  EXPECT_TRUE(bystander.record->texts().empty());

  ASSERT_TRUE(hub.watch(other_call.subscriber.get(), "acme", "c1"));
  hub.leave(other_call.subscriber.get());
  hub.publish_to_watchers("acme", "c1", text("partial 3"));
  EXPECT_TRUE(other_call.record->texts().empty());
}

TEST(BroadcastHub, AFeedWatchesABoundedNumberOfCallsAndOnlyOnceJoined) {
  BroadcastHub hub;
  Dashboard dashboard;
  EXPECT_FALSE(hub.watch(dashboard.subscriber.get(), "acme", "c0")) << "watching needs a joined feed";
  hub.join(dashboard.subscriber, {"acme", false});
  for (std::size_t i = 0; i < BroadcastHub::max_watched_calls; ++i) {
    ASSERT_TRUE(hub.watch(dashboard.subscriber.get(), "acme", "c" + std::to_string(i)));
  }
  EXPECT_TRUE(hub.watch(dashboard.subscriber.get(), "acme", "c0")) << "watching again is not another call";
  EXPECT_FALSE(hub.watch(dashboard.subscriber.get(), "acme", "one-too-many"));
}

TEST(BroadcastHub, RestartAllRestartsEveryJoinedFeedOnceAndCountsThem) {
  BroadcastHub hub;
  Dashboard everyone;
  Dashboard tenant;
  Dashboard gone;
  hub.join(everyone.subscriber, {std::nullopt, false});
  hub.join(tenant.subscriber, {"acme", true});
  hub.join(gone.subscriber, {"acme", false});
  hub.leave(gone.subscriber.get());
  hub.restart_all();
  EXPECT_EQ(everyone.record->restarts, 1);
  EXPECT_EQ(tenant.record->restarts, 1);
  EXPECT_EQ(gone.record->restarts, 0);
  EXPECT_EQ(hub.restarts(), 2U);
}

}  // namespace
}  // namespace vapidash::test
