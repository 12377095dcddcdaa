#include "vapidash/simulate/simulator.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "listen_session.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/identifier.hpp"
#include "vapidash/simulate/call_messages.hpp"
#include "vapidash/simulate/control.hpp"
#include "vapidash/wire/error_body.hpp"
#include "webhook_sender.hpp"

namespace vapidash {

namespace {

using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

constexpr std::size_t max_senders = 4;
// Frames sent at once to a listener after the simulator fell behind; older ones are skipped.
constexpr std::uint64_t max_catch_up_frames = 50;

std::string host_in_url(const std::string& host) {
  if (host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "[::1]";
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

std::string detail_of(const json& message) {
  const auto type = message.value("type", std::string());
  if (type == "transcript") return message.value("transcriptType", "") + " " + message.value("role", "");
  if (type == "speech-update") return message.value("status", "") + " " + message.value("role", "");
  if (type == "status-update") return message.value("status", "");
  if (type == "end-of-call-report") return message.value("endedReason", "");
  return "";
}

}  // namespace

std::string listen_path(const std::string& call_id) {
  return "/calls/" + call_id + "/listen";
}

std::string control_path(const std::string& call_id) {
  return "/calls/" + call_id + "/control";
}

json listen_start_frame(const std::string& call_id) {
  return {{"type", "start"},
          {"callId", call_id},
          {"encoding", "pcm_s16le"},
          {"sampleRate", listen_sample_rate},
          {"channels", listen_channels},
          {"channelRoles", json::array({"customer", "assistant"})},
          {"frameMs", audio_frame_ms},
          {"frameBytes", audio_frame_bytes}};
}

std::string random_call_prefix() {
  static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::random_device random;
  std::string prefix = "sim-";
  for (int i = 0; i < 6; ++i) prefix += digits[random() % 36];
  return prefix;
}

// One simulated call, owned and touched by the I/O thread only.
struct LiveCall {
  LiveCall(net::io_context& ioc, std::size_t call_index, WebhookSender& call_sender)
      : index(call_index), sender(call_sender), script_timer(ioc), audio_timer(ioc) {}

  SimulatedCall state;
  std::size_t index;
  WebhookSender& sender;
  steady::time_point started;
  steady::time_point answered;
  std::size_t position = 0;  // the next script step
  net::steady_timer script_timer;
  net::steady_timer audio_timer;
  bool audio_running = false;
  std::uint64_t next_frame = 0;
  bool assistant_muted = false;
  std::vector<std::shared_ptr<ListenSession>> listeners;

  bool ended() const { return state.status == "ended"; }
  bool answered_yet() const { return state.started_at.has_value(); }
};

class Simulator::Impl final : public CallDirectory {
 public:
  Impl(SimulateOptions options, SimulateEventSink sink)
      : options_(std::move(options)),
        sink_(std::move(sink)),
        script_(build_call_script(options_.plan, options_.call_length)),
        conversation_(conversation_steps(script_)),
        acceptor_(ioc_),
        start_timer_(ioc_) {
    check_options();
    listen();
    const auto count = std::clamp<std::size_t>(options_.calls, 1, max_senders);
    WebhookCredential credential;
    if (options_.hmac_secret) credential = {WebhookCredential::Kind::hmac, *options_.hmac_secret};
    if (options_.secret) credential = {WebhookCredential::Kind::secret, *options_.secret};
    for (std::size_t i = 0; i < count; ++i) {
      senders_.push_back(std::make_unique<WebhookSender>(
          options_.server, options_.tls, options_.timeout, "/webhooks/vapi/" + options_.client, credential,
          [this](const WebhookJob& job, const WebhookOutcome& outcome) { delivered(job, outcome); }));
    }
  }

  ~Impl() override {
    net::post(ioc_, [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      start_timer_.cancel();
    });
    work_.reset();
    if (io_thread_.joinable()) {
      // Listeners close at their call's end; one that has not finished its close handshake a second later is
      // cut off.
      if (io_finished_.wait_for(std::chrono::seconds(1)) != std::future_status::ready) ioc_.stop();
      io_thread_.join();
    }
    senders_.clear();  // delivers what is queued while everything its reports need is alive
  }

  Endpoint endpoint() const { return bound_; }

  void start() {
    emit({{"event", "listening"},
          {"address", bound_.host + ":" + std::to_string(bound_.port)},
          {"listen_url", listen_url("{callId}")},
          {"control_url", control_url("{callId}")}});
    accept();
    schedule_start(0);
    std::promise<void> finished;
    io_finished_ = finished.get_future();
    io_thread_ = std::thread([this, finished = std::move(finished)]() mutable {
      ioc_.run();
      finished.set_value();
    });
  }

  void stop() {
    net::post(ioc_, [this] {
      stopping_ = true;
      start_timer_.cancel();
      for (auto& [id, call] : calls_) end_call(*call, "customer-ended-call");
      check_finished();
    });
  }

  bool wait_finished(milliseconds wait) {
    const auto deadline = steady::now() + wait;
    {
      std::unique_lock lock(finished_mutex_);
      if (!finished_changed_.wait_until(lock, deadline, [&] { return calls_finished_; })) return false;
    }
    return std::all_of(senders_.begin(), senders_.end(),
                       [&](auto& sender) { return sender->wait_idle(deadline); });
  }

  SimulateSummary summary() const {
    std::lock_guard lock(events_mutex_);
    return summary_;
  }

  // CallDirectory: what the HTTP side asks of the calls, on the I/O thread.
  std::optional<std::string> listen_refusal(const std::string& call_id) override {
    const auto call = calls_.find(call_id);
    if (call == calls_.end()) return "not_found";
    if (call->second->ended()) return "call_ended";
    return std::nullopt;
  }

  void add_listener(const std::string& call_id, std::shared_ptr<ListenSession> session) override {
    const auto found = calls_.find(call_id);
    if (found == calls_.end() || found->second->ended()) return session->finish();
    auto& call = *found->second;
    call.listeners.push_back(std::move(session));
    emit_listener(call, "connected");
    start_audio(call);
  }

  void remove_listener(const std::string& call_id, const ListenSession* session) override {
    const auto found = calls_.find(call_id);
    if (found == calls_.end()) return;
    auto& listeners = found->second->listeners;
    const auto before = listeners.size();
    std::erase_if(listeners, [&](const auto& listener) { return listener.get() == session; });
    if (listeners.size() != before) emit_listener(*found->second, "closed");
  }

  std::chrono::milliseconds control_delay() const override { return options_.control_delay; }

  ControlAnswer control(const std::string& call_id, const std::string& body) override {
    auto answer = answer_control(call_id, body);
    json logged_body;
    try {
      logged_body = json::parse(body);
    } catch (const json::parse_error&) {
      logged_body = body;
    }
    emit({{"event", "control"},
          {"call_id", call_id},
          {"body", logged_body},
          {"http_status", answer.status},
          {"outcome", answer.outcome}});
    return answer;
  }

 private:
  void check_options() const {
    require_identifier("--client", options_.client);
    if (options_.calls == 0) throw invalid_input("invalid_argument", "--calls must be at least 1");
    if (!(options_.rate > 0))
      throw invalid_input("invalid_argument", "--rate must be above 0 calls per second");
    if (!is_valid_identifier(options_.call_prefix + "-" + std::to_string(options_.calls))) {
      throw invalid_input("invalid_argument",
                          "--call-prefix must make call ids of 1-128 characters of "
                          "A-Z a-z 0-9 . _ : - (got \"" +
                              options_.call_prefix + "\")");
    }
  }

  void listen() {
    try {
      const tcp::endpoint where(net::ip::make_address(options_.listen.host), options_.listen.port);
      acceptor_.open(where.protocol());
      acceptor_.set_option(net::socket_base::reuse_address(true));
      acceptor_.bind(where);
      acceptor_.listen();
      bound_ = Endpoint{options_.listen.host, acceptor_.local_endpoint().port()};
    } catch (const boost::system::system_error& e) {
      throw invalid_input("invalid_listen", "cannot listen on " + options_.listen.host + ":" +
                                                std::to_string(options_.listen.port) + ": " +
                                                e.code().message());
    }
  }

  std::string base(const char* scheme) const {
    return std::string(scheme) + "://" + host_in_url(bound_.host) + ":" + std::to_string(bound_.port);
  }
  std::string listen_url(const std::string& call_id) const { return base("ws") + listen_path(call_id); }
  std::string control_url(const std::string& call_id) const { return base("http") + control_path(call_id); }

  void accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) serve_http(std::move(socket), *this);
      accept();
    });
  }

  // Starts call `index` (0-based) at its time; the next one follows 1/rate later.
  void schedule_start(std::size_t index) {
    if (index >= options_.calls) return;
    const auto offset = std::chrono::duration_cast<steady::duration>(
        std::chrono::duration<double>(static_cast<double>(index) / options_.rate));
    if (index == 0) first_start_ = steady::now();
    start_timer_.expires_at(first_start_ + offset);
    start_timer_.async_wait([this, index](beast::error_code ec) {
      if (ec || stopping_) return;
      start_call(index);
      schedule_start(index + 1);
    });
  }

  void start_call(std::size_t index) {
    const auto id = options_.call_prefix + "-" + std::to_string(index + 1);
    auto call = std::make_unique<LiveCall>(ioc_, index, *senders_[index % senders_.size()]);
    call->state.id = id;
    call->state.customer_number =
        options_.plan.customer_number.value_or("+14155550" + std::to_string(100 + index % 100));
    call->state.listen_url = listen_url(id);
    call->state.control_url = control_url(id);
    call->state.created_at = now_utc();
    call->started = steady::now();
    auto& live = *call;
    calls_.emplace(id, std::move(call));
    ++started_;
    {
      std::lock_guard lock(events_mutex_);
      summary_.calls_started = started_;
    }
    emit({{"event", "call-started"},
          {"call_id", id},
          {"listen_url", live.state.listen_url},
          {"control_url", live.state.control_url}});
    schedule_step(live);
  }

  // The script's step at `position`; a held call repeats its conversation instead of hanging up.
  ScriptStep step_at(std::size_t position) const {
    constexpr std::size_t opening = 2;  // ring, answer
    if (!options_.hold || position < opening) return script_.steps[position];
    const auto k = position - opening;
    auto step = conversation_[k % conversation_.size()];
    step.at += script_.conversation_period * static_cast<std::int64_t>(k / conversation_.size());
    return step;
  }

  void schedule_step(LiveCall& call) {
    if (call.ended() || (!options_.hold && call.position >= script_.steps.size())) return;
    const auto step = step_at(call.position);
    call.script_timer.expires_at(call.started + step.at);
    call.script_timer.async_wait([this, &call, step](beast::error_code ec) {
      if (ec || call.ended()) return;
      ++call.position;
      run_step(call, step);
      schedule_step(call);
    });
  }

  void run_step(LiveCall& call, const ScriptStep& step) {
    const auto now = now_utc();
    const auto& turn = options_.plan.turns[step.turn % options_.plan.turns.size()];
    switch (step.action) {
      case ScriptAction::ring:
        call.state.status = "ringing";
        return send(call, status_update_message(call.state, now));
      case ScriptAction::answer:
        call.state.status = "in-progress";
        call.state.started_at = now;
        call.answered = steady::now();
        send(call, status_update_message(call.state, now));
        return start_audio(call);
      case ScriptAction::speech_started:
      case ScriptAction::speech_stopped:
        return send(call, speech_update_message(call.state, turn.role,
                                                step.action == ScriptAction::speech_started, now));
      case ScriptAction::partial_line:
        return send(
            call, transcript_message(call.state, turn.role, first_words(turn.text, step.words), false, now));
      case ScriptAction::final_line:
        return say(call, turn.role, turn.text);
      case ScriptAction::conversation_update:
        return send(call, conversation_update_message(call.state, now));
      case ScriptAction::hang_up:
        return end_call(call, options_.plan.ended_reason);
    }
  }

  void say(LiveCall& call, const std::string& role, const std::string& text) {
    const auto now = now_utc();
    call.state.lines.push_back({role, text, now});
    send(call, transcript_message(call.state, role, text, true, now));
  }

  void end_call(LiveCall& call, const std::string& reason) {
    if (call.ended()) return;
    const auto now = now_utc();
    call.state.status = "ended";
    call.state.ended_at = now;
    call.script_timer.cancel();
    call.audio_timer.cancel();
    send(call, ended_status_message(call.state, reason, now));
    send(call, end_of_call_report_message(call.state, reason, options_.plan.summary, now));
    for (auto& listener : call.listeners) listener->finish();
    emit({{"event", "call-ended"}, {"call_id", call.state.id}, {"ended_reason", reason}});
    ++ended_;
    check_finished();
  }

  void check_finished() {
    if (ended_ < started_ || (!stopping_ && started_ < options_.calls)) return;
    {
      std::lock_guard lock(finished_mutex_);
      calls_finished_ = true;
    }
    finished_changed_.notify_all();
  }

  void send(LiveCall& call, const json& envelope) {
    const auto& message = envelope.at("message");
    call.sender.push({call.state.id, message.value("type", ""), detail_of(message), dump_json(envelope)});
  }

  // Audio flows while the call is answered and someone listens, in real time from the answer on.
  void start_audio(LiveCall& call) {
    if (call.audio_running || call.ended() || !call.answered_yet() || call.listeners.empty()) return;
    call.audio_running = true;
    call.next_frame = frames_due(call);
    tick_audio(call);
  }

  std::uint64_t frames_due(const LiveCall& call) const {
    return static_cast<std::uint64_t>((steady::now() - call.answered) / milliseconds(audio_frame_ms));
  }

  void tick_audio(LiveCall& call) {
    call.audio_timer.expires_at(call.answered + milliseconds(audio_frame_ms) *
                                                    static_cast<std::int64_t>(call.next_frame + 1));
    call.audio_timer.async_wait([this, &call](beast::error_code ec) {
      if (ec || call.ended() || call.listeners.empty()) {
        call.audio_running = false;
        return;
      }
      const auto due = frames_due(call);
      if (due > call.next_frame + max_catch_up_frames) call.next_frame = due - max_catch_up_frames;
      for (; call.next_frame < due; ++call.next_frame) {
        const auto frame =
            std::make_shared<const std::string>(options_.audio->frame(call.next_frame, call.assistant_muted));
        for (auto& listener : call.listeners) listener->send(frame, false);
      }
      tick_audio(call);
    });
  }

  ControlAnswer answer_control(const std::string& call_id, const std::string& body) {
    const auto found = calls_.find(call_id);
    if (found == calls_.end()) {
      return refuse(404, "not_found",
                    "no call " + call_id + " here: this simulator's calls are " + options_.call_prefix +
                        "-1 to " + options_.call_prefix + "-" + std::to_string(options_.calls) +
                        ", once started");
    }
    ControlCommand command;
    try {
      command = parse_control(body);
    } catch (const invalid_input& e) {
      return refuse(400, e.code(), e.what());
    }
    auto& call = *found->second;
    if (call.ended()) return refuse(409, "call_ended", "call " + call_id + " has ended");
    return {200, json{{"ok", true}}, apply(call, command)};
  }

  static ControlAnswer refuse(unsigned status, const std::string& code, const std::string& message) {
    return {status, error_body(code, message), code + ": " + message};
  }

  std::string apply(LiveCall& call, const ControlCommand& command) {
    if (command.type == "say") {
      say(call, "assistant", command.content);
      if (!command.end_call_after_spoken) return "said";
      end_call(call, "assistant-ended-call");
      return "said, then ended the call (assistant-ended-call)";
    }
    if (command.type == "end-call") {
      end_call(call, "assistant-ended-call");
      return "ended the call (assistant-ended-call)";
    }
    if (command.type == "transfer") {
      if (!command.content.empty()) say(call, "assistant", command.content);
      call.state.status = "forwarding";
      send(call, forwarding_message(call.state, command.number, command.content, now_utc()));
      end_call(call, "assistant-forwarded-call");
      return "forwarded to " + command.number + ", then ended the call (assistant-forwarded-call)";
    }
    if (command.type == "add-message") {
      say(call, command.role, command.content);
      return "added a " + command.role + " line";
    }
    call.assistant_muted = command.control == "mute-assistant";
    return call.assistant_muted ? "muted the assistant" : "unmuted the assistant";
  }

  void emit_listener(const LiveCall& call, const char* state) {
    emit({{"event", "listener"},
          {"call_id", call.state.id},
          {"state", state},
          {"listeners", call.listeners.size()}});
  }

  void delivered(const WebhookJob& job, const WebhookOutcome& outcome) {
    json event = {{"event", "webhook"},
                  {"call_id", job.call_id},
                  {"type", job.type},
                  {"detail", job.detail},
                  {"http_status", outcome.http_status ? json(*outcome.http_status) : json(nullptr)},
                  {"ok", outcome.ok()}};
    if (!outcome.ok()) event["error"] = outcome.error;
    std::lock_guard lock(events_mutex_);
    ++summary_.webhooks_sent;
    if (!outcome.ok()) summary_.failed_webhooks.push_back(event);
    sink_(event);
  }

  void emit(const json& event) {
    std::lock_guard lock(events_mutex_);
    sink_(event);
  }

  SimulateOptions options_;
  SimulateEventSink sink_;
  CallScript script_;
  std::vector<ScriptStep> conversation_;
  net::io_context ioc_;
  net::executor_work_guard<net::io_context::executor_type> work_ = net::make_work_guard(ioc_);
  tcp::acceptor acceptor_;
  Endpoint bound_;
  net::steady_timer start_timer_;
  steady::time_point first_start_;
  std::vector<std::unique_ptr<WebhookSender>> senders_;
  std::map<std::string, std::unique_ptr<LiveCall>> calls_;
  std::size_t started_ = 0;
  std::size_t ended_ = 0;
  bool stopping_ = false;
  mutable std::mutex events_mutex_;
  SimulateSummary summary_;
  std::mutex finished_mutex_;
  std::condition_variable finished_changed_;
  bool calls_finished_ = false;
  std::future<void> io_finished_;
  std::thread io_thread_;
};

Simulator::Simulator(SimulateOptions options, SimulateEventSink sink)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(sink))) {}
Simulator::~Simulator() = default;
Endpoint Simulator::endpoint() const {
  return impl_->endpoint();
}
void Simulator::start() {
  impl_->start();
}
void Simulator::stop() {
  impl_->stop();
}
bool Simulator::wait_finished(std::chrono::milliseconds wait) {
  return impl_->wait_finished(wait);
}
SimulateSummary Simulator::summary() const {
  return impl_->summary();
}

}  // namespace vapidash
