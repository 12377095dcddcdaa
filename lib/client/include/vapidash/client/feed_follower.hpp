#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "vapidash/model/call.hpp"
#include "vapidash/model/status_event.hpp"
#include "vapidash/net/client_stream.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

struct FollowOptions {
  ServerUrl server;
  TlsOptions tls;
  std::optional<std::string> client_id;               // ?client_id= scope
  std::optional<std::string> token;                   // ?token= for guarded tenants
  bool events = false;                                // ?events=1: timeline events too
  bool transcripts = false;                           // pass on live transcript lines (transcript-update)
  std::optional<std::string> status;                  // only upserts of calls, and events, in this status
  std::optional<std::string> type;                    // only messages of this type
  std::optional<int> count;                           // stop after this many
  std::optional<std::chrono::milliseconds> duration;  // stop after this long
  std::chrono::milliseconds ping_interval{15000};
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds max_backoff{5000};
};

// A live transcript line of a transcript-update message.
struct TranscriptUpdate {
  std::string client_id;
  std::string call_id;
  TranscriptLine line;
  bool final = false;
};

// One feed message as `vapidash tail` shows it.
struct FeedEvent {
  json message;
  std::optional<Call> call;                    // for call-upsert messages
  std::optional<std::string> previous_status;  // the call's status in the last upsert seen for it
  std::optional<std::string> cause;            // what changed the call, when the server says
  std::optional<StatusEvent> event;            // for status-event messages
  std::optional<TranscriptUpdate> transcript;  // for transcript-update messages
};

// Follows the dashboard feed: says where it connected, filters, keeps the connection alive with pings, and
// reconnects with exponential backoff when the server goes away. The first connection must succeed (so a
// wrong address fails fast); after that the follower keeps trying until told to stop.
class FeedFollower {
 public:
  using EventSink = std::function<void(const FeedEvent&)>;
  using NoticeSink = std::function<void(const std::string&)>;  // connection notices, for stderr
  // Runs after each connection is open and before its first message is read; `reconnected` is false the
  // first time. What was missed while disconnected can be fetched here without missing later changes.
  using ConnectSink = std::function<void(bool reconnected)>;

  FeedFollower(FollowOptions options, EventSink on_event, NoticeSink on_notice,
               ConnectSink on_connected = {});

  // Runs until `stop` is set, `count` events were delivered, or `duration` passed. Returns the events
  // delivered. Throws connection_error when the first connection fails.
  int run(const std::atomic<bool>& stop);

 private:
  std::string target() const;
  bool wanted(const FeedEvent& event) const;
  std::string connected_notice() const;
  FeedEvent to_event(json message);

  FollowOptions options_;
  EventSink on_event_;
  NoticeSink on_notice_;
  ConnectSink on_connected_;
  std::map<std::pair<std::string, std::string>, std::string> last_status_;
};

}  // namespace vapidash
