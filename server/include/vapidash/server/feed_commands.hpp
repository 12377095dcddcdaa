#pragma once

#include <string>
#include <string_view>

#include "vapidash/server/app_context.hpp"
#include "vapidash/server/feed_scope.hpp"

namespace vapidash::server {

// What a dashboard may ask on its feed: {"type": "subscribe", "callId", "clientId"?} to hear the call's
// partial transcript lines (answered with its stored final lines), and {"type": "unsubscribe", ...}. Returns
// the answer to send back; a refused or malformed request is answered with {"type": "error", "error",
// "message"} and the feed stays open.
std::string answer_feed_request(AppContext& app, const Subscriber& feed, const FeedScope& scope,
                                std::string_view text);

}  // namespace vapidash::server
