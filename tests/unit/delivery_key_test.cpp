#include "vapidash/vapi/vapi_message.hpp"

#include <gtest/gtest.h>

#include <regex>
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

TEST(DeliveryKey, StatusAndTimestampEachMakeADifferentKey) {
  const auto key = delivery_key(status_update("call-1", "ringing", 1795707796145));
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

TEST(DeliveryKey, IsSixteenHexDigitsScopedByTheCallThatStoresIt) {
  const auto key = delivery_key(status_update("call-7", "ringing", 1));
  EXPECT_TRUE(std::regex_match(key, std::regex("[0-9a-f]{16}"))) << key;
  EXPECT_EQ(key, delivery_key(status_update("call-8", "ringing", 1)))
      << "the store keeps keys per call, so the call id need not be in the key";
}

}  // namespace
}  // namespace vapidash
