#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "vapidash/net/client_stream.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/simulate/audio.hpp"
#include "vapidash/simulate/call_script.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

// What `vapidash simulate` plays: VAPI's side of `calls` phone calls for one tenant.
struct SimulateOptions {
  ServerUrl server;  // where the webhooks go: POST {server}/webhooks/vapi/{client}
  TlsOptions tls;
  std::string client;
  std::size_t calls = 1;
  double rate = 1;  // calls started per second
  std::chrono::milliseconds call_length{60'000};
  CallPlan plan = default_call_plan();
  Endpoint listen{"127.0.0.1", 0};             // the listen and control URLs' server
  std::optional<std::string> secret;           // webhooks' x-vapi-secret
  std::optional<std::string> hmac_secret;      // or their HMAC signature
  std::string call_prefix;                     // call ids are {prefix}-1 .. {prefix}-{calls}
  bool hold = false;                           // calls talk until their control URL or stop() ends them
  std::chrono::milliseconds control_delay{0};  // a control URL acts and answers this late (a slow VAPI)
  std::shared_ptr<const AudioSource> audio = std::make_shared<ToneSource>();
  std::chrono::milliseconds timeout{10'000};  // per webhook
};

// The URL paths the simulator serves, for a call id.
std::string listen_path(const std::string& call_id);   // /calls/{id}/listen
std::string control_path(const std::string& call_id);  // /calls/{id}/control

// A prefix for call ids that another run is unlikely to have used: "sim-" and six random letters or digits.
std::string random_call_prefix();

// The JSON text frame a listen socket sends first, describing the binary frames that follow.
json listen_start_frame(const std::string& call_id);

// What happened, as a JSON object with an "event" key (field names are part of simulate's --json output):
//   {"event": "listening", "address": "HOST:PORT", "listen_url": ..., "control_url": ...}  (templates)
//   {"event": "call-started", "call_id", "listen_url", "control_url"}
//   {"event": "webhook", "call_id", "type", "detail", "http_status" (null without an answer), "ok",
//    "error" (when not ok)}
//   {"event": "control", "call_id", "body" (as received: JSON, else text), "http_status", "outcome"}
//   {"event": "listener", "call_id", "state": "connected" | "closed", "listeners"}
//   {"event": "call-ended", "call_id", "ended_reason"}
// Events come from several threads, one at a time.
using SimulateEventSink = std::function<void(const json&)>;

// What the run did, once it is over.
struct SimulateSummary {
  std::size_t calls_started = 0;
  std::size_t webhooks_sent = 0;
  std::vector<json> failed_webhooks;  // their "webhook" events
};

// Plays the calls: starts them at `rate`, sends each one's webhooks by its script through lib/client, serves
// each call's listen URL (a WebSocket of its audio) and control URL (VAPI's control messages). Binds at
// construction, so the address is known before anything starts.
class Simulator {
 public:
  // Throws invalid_input for an invalid client, prefix, length or rate, connection_error when it cannot
  // listen.
  Simulator(SimulateOptions options, SimulateEventSink sink);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  Endpoint endpoint() const;  // where it listens

  void start();
  // Ends every live call with customer-ended-call and starts no more. Safe from any thread, many times.
  void stop();
  // True once every call started has ended and its webhooks were answered (or failed), after start(). Waits
  // up to `wait` for it.
  bool wait_finished(std::chrono::milliseconds wait);
  SimulateSummary summary() const;  // after wait_finished() returned true

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vapidash
