#include "vapidash/model/status.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string_view>

namespace vapidash::test {
namespace {

constexpr std::array<std::string_view, 6> vapi_order{"scheduled",   "queued",     "ringing",
                                                     "in-progress", "forwarding", "ended"};

TEST(StatusRank, RanksVapiStatusesInTheOrderACallMovesThroughThem) {
  for (std::size_t i = 0; i < vapi_order.size(); ++i) {
    EXPECT_EQ(status_rank(vapi_order[i]), static_cast<int>(i)) << vapi_order[i];
  }
  EXPECT_LT(status_rank("scheduled"), status_rank("queued"));
  EXPECT_LT(status_rank("queued"), status_rank("ringing"));
  EXPECT_LT(status_rank("ringing"), status_rank("in-progress"));
  EXPECT_LT(status_rank("in-progress"), status_rank("forwarding"));
  EXPECT_LT(status_rank("forwarding"), status_rank("ended"));
}

TEST(StatusRank, HasNoRankForStatusesOutsideVapisSet) {
  for (std::string_view status :
       {"", "completed", "In-Progress", "ENDED", "in_progress", "in-progress ", " ended", "debug-weird"}) {
    EXPECT_FALSE(status_rank(status)) << '"' << status << '"';
  }
}

TEST(IsForwardMove, AllowsEveryMoveToALaterStatus) {
  for (std::size_t from = 0; from < vapi_order.size(); ++from) {
    for (std::size_t to = from + 1; to < vapi_order.size(); ++to) {
      EXPECT_TRUE(is_forward_move(vapi_order[from], vapi_order[to]))
          << vapi_order[from] << " -> " << vapi_order[to];
    }
  }
}

TEST(IsForwardMove, NeverMovesBackOrStaysPut) {
  for (std::size_t from = 0; from < vapi_order.size(); ++from) {
    for (std::size_t to = 0; to <= from; ++to) {
      EXPECT_FALSE(is_forward_move(vapi_order[from], vapi_order[to]))
          << vapi_order[from] << " -> " << vapi_order[to];
    }
  }
}

TEST(IsForwardMove, EndedIsFinal) {
  for (std::string_view next : vapi_order) EXPECT_FALSE(is_forward_move("ended", next)) << next;
  EXPECT_FALSE(is_forward_move("ended", "something-else"));
}

TEST(IsForwardMove, UnknownNeverReplacesKnown) {
  for (std::string_view current : vapi_order) {
    EXPECT_FALSE(is_forward_move(current, "mystery")) << current;
    EXPECT_FALSE(is_forward_move(current, "")) << current;
  }
}

TEST(IsForwardMove, KnownReplacesUnknown) {
  for (std::string_view next : vapi_order) {
    EXPECT_TRUE(is_forward_move("mystery", next)) << next;
    EXPECT_TRUE(is_forward_move("", next)) << next;
  }
}

TEST(IsForwardMove, UnknownDoesNotReplaceUnknown) {
  EXPECT_FALSE(is_forward_move("mystery", "other-mystery"));
}

}  // namespace
}  // namespace vapidash::test
