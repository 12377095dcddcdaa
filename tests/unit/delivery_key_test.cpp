#include "vapidash/vapi/vapi_message.hpp"

#include <gtest/gtest.h>

#include <string>

#include "vapidash/wire/json.hpp"

namespace vapidash {
namespace {

json status_update(const std::string& call_id, const std::string& status, std::int64_t timestamp) {
  return json{
      {"type", "status-update"}, {"status", status}, {"timestamp", timestamp}, {"call", {{"id", call_id}}}};
}

TEST(DeliveryKey, SameDeliveryGivesTheSameKey) {
  EXPECT_EQ(delivery_key(status_update("call-1", "ringing", 1795707796145)),
            delivery_key(status_update("call-1", "ringing", 1795707796145)));
}

TEST(DeliveryKey, CallStatusAndTimestampEachMakeADifferentKey) {
  const auto key = delivery_key(status_update("call-1", "ringing", 1795707796145));
  EXPECT_NE(key, delivery_key(status_update("call-2", "ringing", 1795707796145)));
  EXPECT_NE(key, delivery_key(status_update("call-1", "in-progress", 1795707796145)));
  EXPECT_NE(key, delivery_key(status_update("call-1", "ringing", 1795707796146)));
}

TEST(DeliveryKey, WithoutTimestampTheContentDecides) {
  auto first = status_update("call-1", "ringing", 0);
  first.erase("timestamp");
  auto same = first;
  auto other = first;
  other["call"]["status"] = "queued";
  EXPECT_EQ(delivery_key(first), delivery_key(same));
  EXPECT_NE(delivery_key(first), delivery_key(other));
}

TEST(DeliveryKey, KeysOfOneCallShareTheCallIdPrefix) {
  const auto ringing = delivery_key(status_update("call-7", "ringing", 1));
  const auto ended = delivery_key(status_update("call-7", "ended", 2));
  EXPECT_EQ(ringing.rfind("call-7\n", 0), 0u);
  EXPECT_EQ(ended.rfind("call-7\n", 0), 0u);
  EXPECT_EQ(ringing.size(), std::string("call-7\n").size() + 32);
}

}  // namespace
}  // namespace vapidash
