#include <cstdio>

#include "cli/commands.hpp"
#include "cli/feed_lines.hpp"
#include "cli/output.hpp"
#include "cli/scenario_files.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/simulate/simulator.hpp"

namespace vapidash::cli {

namespace {

using namespace std::chrono_literals;

struct SimulateArgs {
  std::string client;
  std::size_t calls = 1;
  double rate = 1;
  std::string call_length = "60s";
  std::string scenario;
  std::string audio;
  std::string listen = "127.0.0.1:0";
  std::string call_prefix;
  bool hold = false;
  std::string control_delay = "0s";
  std::string secret;
  std::string hmac_secret;
};

constexpr std::size_t failures_listed = 20;

std::string clock_now() {
  return format_timestamp(now_utc()).substr(11, 12);
}

std::string http_outcome(const json& event) {
  if (event["http_status"].is_null()) return "no answer: " + event.value("error", "");
  auto text = std::to_string(event["http_status"].get<unsigned>());
  if (!event.value("ok", false)) text += " " + event.value("error", "");
  return text;
}

std::string webhook_name(const json& event) {
  const auto detail = event.value("detail", "");
  return event.value("type", "") + (detail.empty() ? "" : " " + detail);
}

// One line per event, for people; --json prints the events themselves.
std::string event_text(const Output& out, const json& event) {
  const auto kind = event.value("event", "");
  if (kind == "listening") {
    return "listening on " + event.value("address", "") + "  listen " + event.value("listen_url", "") +
           "  control POST " + event.value("control_url", "");
  }
  if (kind == "done") {
    const auto failed = event["failed"].get<std::size_t>();
    return "done: " + std::to_string(event["calls"].get<std::size_t>()) + " call(s), " +
           std::to_string(event["webhooks"].get<std::size_t>()) + " webhooks, " +
           (failed == 0 ? std::string("every one answered 2xx")
                        : std::to_string(failed) + " not answered 2xx");
  }
  const auto prefix = out.dim(clock_now()) + "  " + out.bold(event.value("call_id", "")) + "  ";
  if (kind == "call-started") {
    return prefix + "started  listen " + event.value("listen_url", "") + "  control " +
           event.value("control_url", "");
  }
  if (kind == "webhook") {
    const auto line = prefix + "webhook " + webhook_name(event) + " → " + http_outcome(event);
    return event.value("ok", false) ? line : out.status("failed") + " " + line;
  }
  if (kind == "control") {
    return prefix + "control " + dump_json(event["body"]) + " → " +
           std::to_string(event["http_status"].get<unsigned>()) + " " + event.value("outcome", "");
  }
  if (kind == "listener") {
    return prefix + "listener " + event.value("state", "") + " (" +
           std::to_string(event["listeners"].get<std::size_t>()) + " listening)";
  }
  if (kind == "call-ended") return prefix + "ended  " + event.value("ended_reason", "");
  return prefix + dump_json(event);
}

class Simulate {
 public:
  Simulate(const ClientOptions& options, const SimulateArgs& args)
      : options_(options), args_(args), out_(options) {}

  int run() { return report(play()); }

 private:
  // Until every call has ended, and the simulator has closed its listen sockets (its last events).
  SimulateSummary play() {
    Simulator simulator(simulate_options(), [this](const json& event) { print(event); });
    const auto& interrupted = stop_on_interrupt();
    simulator.start();
    bool stopped = false;
    while (!simulator.wait_finished(100ms)) {
      if (interrupted && !stopped) {
        stopped = true;
        simulator.stop();
      }
    }
    return simulator.summary();
  }

  SimulateOptions simulate_options() const {
    SimulateOptions simulate;
    simulate.server = server_url(options_);
    simulate.tls = tls_options(options_);
    simulate.timeout = request_timeout(options_);
    simulate.client = args_.client;
    simulate.calls = args_.calls;
    simulate.rate = args_.rate;
    simulate.call_length = parse_duration(args_.call_length);
    simulate.listen = parse_listen_address(args_.listen);
    simulate.call_prefix = args_.call_prefix.empty() ? random_call_prefix() : args_.call_prefix;
    simulate.hold = args_.hold;
    simulate.control_delay = parse_duration(args_.control_delay);
    if (!args_.secret.empty()) simulate.secret = args_.secret;
    if (!args_.hmac_secret.empty()) simulate.hmac_secret = args_.hmac_secret;
    if (!args_.audio.empty()) simulate.audio = load_wav(args_.audio);
    if (!args_.scenario.empty()) {
      simulate.plan = call_plan_from_scenario(load_scenarios({args_.scenario}, scenario_inputs({})).front());
    }
    return simulate;
  }

  void print(const json& event) const {
    if (options_.json) {
      std::printf("%s\n", dump_json(event).c_str());
    } else if (options_.quiet) {
      const auto kind = event.value("event", "");
      if (kind == "listening") std::printf("%s\n", event.value("address", "").c_str());
      if (kind == "call-started") std::printf("%s\n", event.value("call_id", "").c_str());
    } else {
      out_.line(event_text(out_, event));
    }
    std::fflush(stdout);
  }

  int report(const SimulateSummary& summary) const {
    const auto failed = summary.failed_webhooks.size();
    print(json{{"event", "done"},
               {"calls", summary.calls_started},
               {"webhooks", summary.webhooks_sent},
               {"failed", failed}});
    if (failed == 0) return exit_ok;
    std::fprintf(stderr, "vapidash simulate: %zu of %zu webhooks were not answered 2xx:\n", failed,
                 summary.webhooks_sent);
    for (std::size_t i = 0; i < std::min(failed, failures_listed); ++i) {
      const auto& event = summary.failed_webhooks[i];
      std::fprintf(stderr, "  %s %s → %s\n", event.value("call_id", "").c_str(), webhook_name(event).c_str(),
                   http_outcome(event).c_str());
    }
    if (failed > failures_listed) std::fprintf(stderr, "  … and %zu more\n", failed - failures_listed);
    return exit_refused;
  }

  const ClientOptions& options_;
  const SimulateArgs& args_;
  Output out_;
};

}  // namespace

void register_simulate(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<SimulateArgs>();
  auto* cmd = app.add_subcommand(
      "simulate",
      "Play VAPI's side of phone calls: webhooks to the server, a listen URL and a control URL per call");
  cmd->add_option("--client", args->client, "Tenant (client_id) whose webhook URL receives the calls")
      ->required();
  cmd->add_option("--calls", args->calls, "How many calls to play")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  cmd->add_option("--rate", args->rate, "Calls started per second")
      ->check(CLI::Range(0.001, 1000.0))
      ->capture_default_str();
  cmd->add_option("--call-length", args->call_length,
                  "How long each call lasts, ring to hang-up (2s, 90s, 5m)")
      ->capture_default_str();
  cmd->add_option("--scenario", args->scenario,
                  "Take the conversation from a replay scenario file (see below) instead of the built-in one")
      ->check(CLI::ExistingFile);
  cmd->add_option("--audio", args->audio,
                  "Stream this WAV (16 kHz, 2-channel, 16-bit PCM; looped) instead of the test tones")
      ->check(CLI::ExistingFile);
  cmd->add_option("--listen", args->listen,
                  "HOST:PORT of the listen and control URLs' server; port 0 picks a free one")
      ->capture_default_str();
  cmd->add_option("--call-prefix", args->call_prefix,
                  "Call ids are PREFIX-1 .. PREFIX-N (default: sim- and six random characters)");
  cmd->add_flag(
      "--hold", args->hold,
      "Calls keep talking until their control URL ends them or simulate is stopped (Ctrl-C, SIGTERM)");
  cmd->add_option("--control-delay", args->control_delay,
                  "Control URLs act and answer this late, like a slow VAPI: test the server's "
                  "--control-timeout (504)")
      ->capture_default_str();
  auto* secret = cmd->add_option("--secret", args->secret, "Send webhooks with x-vapi-secret: SECRET")
                     ->envname("VAPIDASH_WEBHOOK_SECRET");
  cmd->add_option("--hmac-secret", args->hmac_secret,
                  "Sign webhooks with HMAC-SHA256 (x-signature, x-timestamp)")
      ->envname("VAPIDASH_HMAC_SECRET")
      ->excludes(secret);
  cmd->footer(
      "Each call, as VAPI sends it to POST {server}/webhooks/vapi/{client}: status-update ringing, then\n"
      "in-progress after a tenth of --call-length (at most 3 s); then each turn of the conversation in an "
      "equal\n"
      "slot: speech-update started, transcript partial line(s), the final line, speech-update stopped,\n"
      "conversation-update; at --call-length, status-update ended and the end-of-call-report (summary,\n"
      "transcript, messages, cost, durationSeconds, recordingUrl; endedReason customer-ended-call). Every\n"
      "message's call.monitor has the call's listenUrl and controlUrl, served by simulate itself:\n"
      "  ws://HOST:PORT/calls/{callId}/listen   WebSocket: a JSON text frame {\"type\": \"start\", "
      "\"callId\",\n"
      "      \"encoding\": \"pcm_s16le\", \"sampleRate\": 16000, \"channels\": 2, \"channelRoles\": "
      "[\"customer\",\n"
      "      \"assistant\"], \"frameMs\": 20, \"frameBytes\": 1280}, then binary frames of 20 ms in real "
      "time\n"
      "      while the call is in progress: channel 0 a 440 Hz tone (the customer), channel 1 1000 Hz (the\n"
      "      assistant), or --audio; closed with 1000 when the call ends. Any number of listeners.\n"
      "  POST http://HOST:PORT/calls/{callId}/control   VAPI's control messages:\n"
      "      {\"type\": \"say\", \"content\": \"...\", \"endCallAfterSpoken\": false}   an assistant line\n"
      "      {\"type\": \"end-call\"}                                   ends it: assistant-ended-call\n"
      "      {\"type\": \"transfer\", \"destination\": {\"type\": \"number\", \"number\": \"+1...\"}, "
      "\"content\": \"...\"}\n"
      "          status-update forwarding, then ended: assistant-forwarded-call\n"
      "      {\"type\": \"add-message\", \"message\": {\"role\": \"user\", \"content\": \"...\"}}   a line "
      "of that role\n"
      "      {\"type\": \"control\", \"control\": \"mute-assistant\"}   (or unmute-assistant) silences "
      "channel 1\n"
      "    200 {\"ok\": true}; 400 malformed or unknown body; 404 unknown call; 409 the call has ended.\n"
      "--scenario: the scenario's webhook steps (groups included, in order) give the conversation: each "
      "final\n"
      "transcript is a turn (its role and text), an ended status-update or the end-of-call-report gives the\n"
      "ended reason, the report's summary the summary, the first customer.number the caller. Its other "
      "steps\n"
      "are not played: simulate makes the rest of each call itself, timed by --call-length.\n"
      "Output: first the address it listens on, then a line per event. --json prints each event as a JSON "
      "line:\n"
      "  {\"event\": \"listening\", \"address\": \"HOST:PORT\", \"listen_url\", \"control_url\"}  ({callId} "
      "templates)\n"
      "  {\"event\": \"call-started\", \"call_id\", \"listen_url\", \"control_url\"}\n"
      "  {\"event\": \"webhook\", \"call_id\", \"type\", \"detail\", \"http_status\" (null: no answer), "
      "\"ok\", \"error\"}\n"
      "  {\"event\": \"control\", \"call_id\", \"body\", \"http_status\", \"outcome\"}\n"
      "  {\"event\": \"listener\", \"call_id\", \"state\": \"connected\"|\"closed\", \"listeners\"}\n"
      "  {\"event\": \"call-ended\", \"call_id\", \"ended_reason\"}\n"
      "  {\"event\": \"done\", \"calls\", \"webhooks\", \"failed\"}   last\n"
      "It exits once every call has ended and its webhooks were answered. Ctrl-C or SIGTERM ends every live\n"
      "call (customer-ended-call, with its webhooks), then exits.\n"
      "Exit codes: 0 every webhook was answered 2xx; 1 some were not (each is listed on stderr);\n"
      "            2 usage (a bad option, an unreadable scenario or WAV, a port in use).\n"
      "Examples:\n"
      "  vapidash simulate --client demo-client --calls 5 --rate 0.5 --call-length 90s\n"
      "  vapidash simulate --client demo-client --hold --call-prefix demo --listen 127.0.0.1:9100\n"
      "  curl -X POST http://127.0.0.1:9100/calls/demo-1/control -d '{\"type\": \"end-call\"}'\n"
      "  vapidash simulate --client acme --scenario scenarios/transfer.json --hmac-secret \"$SECRET\" "
      "--json");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] {
      return run_client_command_with_code(options, [&] { return Simulate(options, *args).run(); });
    };
  });
}

}  // namespace vapidash::cli
