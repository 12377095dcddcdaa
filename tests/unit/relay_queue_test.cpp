#include <gtest/gtest.h>

#include "vapidash/server/relay_queue.hpp"

namespace vapidash::server {
namespace {

constexpr std::size_t overhead = RelayQueue::frame_overhead;

RelayFrame frame_of(std::size_t size, char fill, bool binary = true) {
  return RelayFrame{std::string(size, fill), binary};
}

TEST(RelayQueue, HandsFramesOutInOrderWithTheirKind) {
  RelayQueue queue(1024);
  EXPECT_EQ(queue.push(frame_of(10, 'a')), 0u);
  EXPECT_EQ(queue.push(frame_of(5, 'b', false)), 0u);
  EXPECT_EQ(queue.bytes(), 15 + 2 * overhead);
  const auto first = queue.take();
  EXPECT_EQ(first.data, std::string(10, 'a'));
  EXPECT_TRUE(first.binary);
  const auto second = queue.take();
  EXPECT_EQ(second.data, std::string(5, 'b'));
  EXPECT_FALSE(second.binary);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(RelayQueue, AFullQueueDropsItsOldestFramesForTheNewest) {
  RelayQueue queue(3 * (100 + overhead));
  for (const char fill : {'a', 'b', 'c'}) EXPECT_EQ(queue.push(frame_of(100, fill)), 0u);
  EXPECT_EQ(queue.push(frame_of(150, 'd')), 2u) << "room for 150 more bytes takes the two oldest frames";
  EXPECT_EQ(queue.take().data, std::string(100, 'c'));
  EXPECT_EQ(queue.take().data, std::string(150, 'd'));
  EXPECT_TRUE(queue.empty());
}

TEST(RelayQueue, AFrameLargerThanTheBoundIsDroppedItself) {
  RelayQueue queue(100 + overhead);
  EXPECT_EQ(queue.push(frame_of(100, 'a')), 0u);
  EXPECT_EQ(queue.push(frame_of(101, 'b')), 1u);
  EXPECT_EQ(queue.take().data, std::string(100, 'a'));
}

TEST(RelayQueue, EmptyFramesCountTowardsTheBound) {
  RelayQueue queue(2 * overhead);
  EXPECT_EQ(queue.push(frame_of(0, 'a')), 0u);
  EXPECT_EQ(queue.push(frame_of(0, 'a')), 0u);
  EXPECT_EQ(queue.push(frame_of(0, 'a')), 1u);
  queue.clear();
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

}  // namespace
}  // namespace vapidash::server
