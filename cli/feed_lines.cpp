#include "cli/feed_lines.hpp"

#include <csignal>
#include <sstream>

#include "cli/timeline.hpp"
#include "vapidash/model/timestamp.hpp"

namespace vapidash::cli {

namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int) {
  interrupted = true;
}

bool has_word(const std::string& text, const std::string& word) {
  std::istringstream words(text);
  for (std::string w; words >> w;) {
    if (w == word || w == word + ":") return true;
  }
  return false;
}

// What happened to the call: the cause the server names, then the status where it moved (or, the first time
// the call is seen, where it is); a call whose status did not move is not described by its status again.
std::string call_change(const Output& out, const FeedEvent& event) {
  const auto& call = *event.call;
  const bool moved = event.previous_status && *event.previous_status != call.status;
  const auto status =
      moved ? out.status(*event.previous_status) + " → " + out.status(call.status) : out.status(call.status);
  if (!event.cause) return status;
  if (event.previous_status && !moved) return *event.cause;
  return *event.cause + " " + status;
}

std::string upsert_line(const Output& out, const FeedEvent& event) {
  const auto& call = *event.call;
  const auto now = terminal_time(format_timestamp(now_utc()), TimeShown::time);
  return out.dim(now) + "  " + call.client_id + "  " + out.bold(call.id) + "  " + call_change(out, event) +
         "  " + phone_text(call);
}

// The event's status, unless its payload's digest already says it, then the digest.
std::string event_line(const Output& out, const StatusEvent& event) {
  const auto digest = payload_digest(event.payload, 80);
  auto what = digest;
  if (!has_word(digest, event.status))
    what = out.status(event.status) + (digest.empty() ? "" : "  " + digest);
  return out.dim(terminal_time(event.created_at, TimeShown::time)) + "  " + event.client_id + "  " +
         out.bold(event.call_id) + "  event #" + std::to_string(event.id) + "  " + what;
}

// A live transcript line, said by whom: "09:23:45  demo-client  c1  user: I'd like to book a cleaning."
std::string transcript_line(const Output& out, const TranscriptUpdate& update) {
  const auto at = update.line.at ? *update.line.at : format_timestamp(now_utc());
  return out.dim(terminal_time(at, TimeShown::time)) + "  " + update.client_id + "  " +
         out.bold(update.call_id) + "  " + out.bold(update.line.role + ":") + " " + update.line.text;
}

}  // namespace

std::string feed_line(const Output& out, const FeedEvent& event) {
  if (event.call) return upsert_line(out, event);
  if (event.event) return event_line(out, *event.event);
  if (event.transcript) return transcript_line(out, *event.transcript);
  return out.dim(dump_json(event.message));
}

std::optional<std::string> feed_id(const FeedEvent& event) {
  if (event.call) return event.call->id;
  if (event.event) return std::to_string(event.event->id);
  return std::nullopt;
}

FollowOptions follow_options(const ClientOptions& options) {
  FollowOptions follow;
  follow.server = server_url(options);
  follow.tls = tls_options(options);
  follow.timeout = request_timeout(options);
  if (!options.token.empty()) follow.token = options.token;
  return follow;
}

const std::atomic<bool>& stop_on_interrupt() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  return interrupted;
}

}  // namespace vapidash::cli
