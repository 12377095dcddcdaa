#pragma once

#include <atomic>
#include <string>

#include "cli/client_options.hpp"
#include "cli/output.hpp"
#include "vapidash/client/feed_follower.hpp"

namespace vapidash::cli {

// One feed message as a line, the same in `tail` and `calls --watch`:
//   09:23:41  demo-client  c1  status-update ringing → in-progress  +14155550100
//   09:23:41  demo-client  c1  event #7  transcript final user: I'd like to book a cleaning.
std::string feed_line(const Output& out, const FeedEvent& event);

// The feed options every follower shares: the server, its timeout and the token.
FollowOptions follow_options(const ClientOptions& options);

// Makes SIGINT and SIGTERM set the returned flag instead of killing the process, so a follower ends cleanly
// (exit 0) on Ctrl-C.
const std::atomic<bool>& stop_on_interrupt();

}  // namespace vapidash::cli
