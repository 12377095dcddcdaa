#include "vapidash/client/feed_follower.hpp"

#include <thread>

#include "vapidash/client/feed_client.hpp"
#include "vapidash/client/server_error.hpp"
#include "vapidash/error.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash {

namespace {

using clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds slice{200};  // how often a blocked read looks at stop and the deadline

std::string delay_text(std::chrono::milliseconds ms) {
  if (ms < std::chrono::seconds(1)) return std::to_string(ms.count()) + "ms";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1fs", static_cast<double>(ms.count()) / 1000.0);
  return buffer;
}

// Waits `delay` in slices, returning early when stopped or past the deadline.
void pause(std::chrono::milliseconds delay, const std::atomic<bool>& stop, clock::time_point deadline) {
  const auto until = std::min(clock::now() + delay, deadline);
  while (!stop && clock::now() < until) {
    std::this_thread::sleep_for(std::min<clock::duration>(slice, until - clock::now()));
  }
}

TranscriptUpdate transcript_from_message(const json& message) {
  const auto& line = message.at("line");
  return TranscriptUpdate{message.at("clientId").get<std::string>(), message.at("callId").get<std::string>(),
                          line.get<TranscriptLine>(), line.value("final", false)};
}

}  // namespace

FeedFollower::FeedFollower(FollowOptions options, EventSink on_event, NoticeSink on_notice,
                           ConnectSink on_connected)
    : options_(std::move(options)),
      on_event_(std::move(on_event)),
      on_notice_(std::move(on_notice)),
      on_connected_(std::move(on_connected)) {}

std::string FeedFollower::target() const {
  return dashboard_feed_target(options_.client_id, options_.events, options_.token);
}

// A message this client cannot read is still passed on, as its raw JSON.
FeedEvent FeedFollower::to_event(json message) {
  FeedEvent event{std::move(message), std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  const auto type = event.message.value("type", "");
  try {
    if (type == "status-event") event.event = status_event_from_message(event.message);
    if (type == "call-upsert") event.call = call_from_upsert(event.message);
    if (type == "transcript-update") event.transcript = transcript_from_message(event.message);
  } catch (const json::exception&) {
    return event;
  }
  if (!event.call) return event;
  if (const auto cause = event.message.find("cause"); cause != event.message.end() && cause->is_string()) {
    event.cause = cause->get<std::string>();
  }
  auto& last = last_status_[{event.call->client_id, event.call->id}];
  if (!last.empty()) event.previous_status = last;
  last = event.call->status;
  return event;
}

bool FeedFollower::wanted(const FeedEvent& event) const {
  if (options_.type && event.message.value("type", "") != *options_.type) return false;
  if (event.message.value("type", "") == "transcript-update" && !options_.transcripts) return false;
  if (!options_.status) return true;
  if (event.call) return event.call->status == *options_.status;
  return event.event && event.event->status == *options_.status;
}

std::string FeedFollower::connected_notice() const {
  return "connected to " + options_.server.url() +
         (options_.client_id ? " (tenant " + *options_.client_id + ")" : " (all tenants)");
}

int FeedFollower::run(const std::atomic<bool>& stop) {
  const auto deadline = options_.duration ? clock::now() + *options_.duration : clock::time_point::max();
  const auto finished = [&](int delivered) {
    return stop || (options_.count && delivered >= *options_.count) || clock::now() >= deadline;
  };
  int delivered = 0;
  bool connected_once = false;
  auto backoff = std::chrono::milliseconds(250);
  const auto retry_later = [&](const std::string& why) {
    on_notice_(why + delay_text(backoff));
    pause(backoff, stop, deadline);
    backoff = std::min(backoff * 2, options_.max_backoff);
  };
  while (!finished(delivered)) {
    FeedClient feed(options_.server, target(), options_.timeout, options_.tls);
    try {
      feed.connect();
      on_notice_(connected_once ? "reconnected to " + options_.server.url() : connected_notice());
      if (on_connected_) on_connected_(connected_once);
      connected_once = true;
      backoff = std::chrono::milliseconds(250);
      auto last_ping = clock::now();
      while (!finished(delivered)) {
        if (auto text = feed.read(slice)) {
          auto event = to_event(parse_json(*text));
          if (wanted(event)) {
            on_event_(event);
            ++delivered;
          }
        }
        if (clock::now() - last_ping >= options_.ping_interval) {
          feed.ping();
          last_ping = clock::now();
        }
      }
      feed.close();
    } catch (const connection_error& e) {
      if (!connected_once) throw;
      retry_later("lost the feed (" + std::string(e.what()) + "); reconnecting in ");
    } catch (const server_error& e) {
      // 503: the server is up but cannot serve a feed yet (its database or change stream is down).
      if (!connected_once || e.status() != 503) throw;
      retry_later("the server cannot serve the feed yet (" + std::string(e.what()) + "); retrying in ");
    }
  }
  return delivered;
}

}  // namespace vapidash
