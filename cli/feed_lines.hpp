#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "cli/client_options.hpp"
#include "cli/output.hpp"
#include "vapidash/client/feed_follower.hpp"

namespace vapidash::cli {

// One feed message as a line, the same in `tail` and `calls --watch`:
//   09:23:41  demo-client  c1  status-update ringing → in-progress  +14155550100
//   09:23:41  demo-client  c1  event #7  transcript final user: I'd like to book a cleaning.
//   09:23:41  demo-client  c1  user: I'd like to book a cleaning.          (a live transcript line)
std::string feed_line(const Output& out, const FeedEvent& event);

// What --quiet prints for a feed message: the call's id for a change, the event's id for a timeline event,
// nothing for a message of a type this client does not know.
std::optional<std::string> feed_id(const FeedEvent& event);

// The feed options every follower shares: the server, its timeout and the token.
FollowOptions follow_options(const ClientOptions& options);

// Makes SIGINT and SIGTERM set the returned flag instead of killing the process, so a follower ends cleanly
// (exit 0) on Ctrl-C.
const std::atomic<bool>& stop_on_interrupt();

}  // namespace vapidash::cli
