#include "vapidash/load/load_run.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "vapidash/client/feed_client.hpp"
#include "vapidash/client/webhook_builder.hpp"
#include "vapidash/error.hpp"
#include "vapidash/load/delivery_ledger.hpp"
#include "vapidash/load/histogram.hpp"
#include "vapidash/load/load_connection.hpp"
#include "vapidash/load/load_feed.hpp"

namespace vapidash {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

const std::array<const char*, 5> sending_actions{"webhook", "debug_call", "log_event", "control", "annotate"};

std::size_t action_index(const std::string& action) {
  for (std::size_t i = 0; i < sending_actions.size(); ++i)
    if (action == sending_actions[i]) return i;
  return 0;
}

// The value of `"key": "value"` or `"key": 123` in compact JSON the server wrote; empty when absent.
// `quoted_key` comes with its quotes ("\"id\""), so reading an answer allocates nothing.
std::string_view json_field(std::string_view text, std::string_view quoted_key) {
  auto at = text.find(quoted_key);
  if (at == std::string_view::npos) return {};
  at = text.find_first_not_of(" \t\r\n:", at + quoted_key.size());
  if (at == std::string_view::npos) return {};
  if (text[at] == '"') {
    const auto end = text.find('"', at + 1);
    return end == std::string_view::npos ? std::string_view{} : text.substr(at + 1, end - at - 1);
  }
  const auto end = text.find_first_of(",}] \t\r\n", at);
  return text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
}

std::optional<std::uint64_t> json_count(std::string_view text, std::string_view quoted_key) {
  const auto field = json_field(text, quoted_key);
  if (field.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : field) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

// The call an upsert is about: its "call" object's "id".
std::string_view upsert_call_id(std::string_view text) {
  const auto call = text.find("\"call\"");
  return call == std::string_view::npos ? std::string_view{} : json_field(text.substr(call + 6), "\"id\"");
}

std::uint64_t text_hash(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}

double to_ms(std::uint64_t nanos) {
  return static_cast<double>(nanos) / 1e6;
}

json latency_json(const LatencyHistogram& histogram) {
  if (histogram.count() == 0) {
    return json{{"count", 0},      {"p50", nullptr}, {"p90", nullptr}, {"p99", nullptr},
                {"p999", nullptr}, {"max", nullptr}, {"mean", nullptr}};
  }
  const auto at = [&](double q) { return std::round(to_ms(histogram.value_at_quantile(q)) * 1000) / 1000; };
  return json{{"count", histogram.count()},
              {"p50", at(0.5)},
              {"p90", at(0.9)},
              {"p99", at(0.99)},
              {"p999", at(0.999)},
              {"max", at(1.0)},
              {"mean", std::round(histogram.mean() / 1e3) / 1e3}};
}

// Without the reference feed nothing can be matched: what was lost, late or out of order is unknown, and
// null (so a threshold on it fails as not measured) rather than a reassuring 0.
void unmeasured(json& delivery, const std::string& why) {
  delivery["reference_failure"] = why;
  for (const auto* key :
       {"expected", "lost", "duplicated", "reordered", "p50", "p90", "p99", "p999", "max", "mean"})
    delivery[key] = nullptr;
}

// The records file: JSON lines from every thread, written in blocks.
class RecordWriter {
 public:
  explicit RecordWriter(std::ostream* out) : out_(out) {}
  bool enabled() const { return out_ != nullptr; }
  void write(const std::string& line) {
    std::lock_guard lock(mutex_);
    buffer_ += line;
    buffer_ += '\n';
    if (buffer_.size() > (64u << 10)) flush_locked();
  }
  void flush() {
    std::lock_guard lock(mutex_);
    flush_locked();
  }

 private:
  void flush_locked() {
    out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    out_->flush();
    buffer_.clear();
  }
  std::ostream* out_;
  std::mutex mutex_;
  std::string buffer_;
};

class Engine;
class Worker;

// One run of the scenario's steps with its own call ids.
class VirtualCall : public LoadConnection::Sink {
 public:
  VirtualCall(Worker& worker, std::uint64_t index, clock::time_point start);
  void step();
  void send_on(LoadConnection& connection);
  void answered(LoadConnection& connection, beast::error_code ec, unsigned status) override;

  std::list<VirtualCall>::iterator self;

 private:
  void after_pause();
  Worker& worker_;
  std::vector<std::string> ids_;
  std::vector<LoadAction> actions_;
  std::size_t next_ = 0;
  clock::time_point intended_;
  net::steady_timer timer_;
};

class Worker : public LoadFeed::Sink {
 public:
  Worker(Engine& engine, std::size_t connections);
  void start_call(std::uint64_t index, clock::time_point start);
  void acquire(VirtualCall& call);
  void release(LoadConnection& connection);
  void ended_call(VirtualCall& call, bool failed);
  void record_answer(const LoadSend& send, const std::vector<std::string>& ids, clock::time_point intended,
                     clock::time_point now, beast::error_code ec, unsigned status, const std::string& body);
  void received(LoadFeed& feed, std::string_view text, clock::time_point at) override;
  void ended(LoadFeed& feed, const std::string& why) override;
  void take_snapshot();
  LatencyHistogram snapshot();

  Engine& engine;
  net::io_context ioc;
  std::string body;  // the request body being rendered
  LatencyHistogram all;
  std::array<LatencyHistogram, sending_actions.size()> by_action;
  std::map<std::string, std::uint64_t> error_causes;
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> failed{0};

 private:
  std::vector<std::unique_ptr<LoadConnection>> connections_;
  std::vector<LoadConnection*> idle_;
  std::list<VirtualCall*> waiting_;
  std::list<VirtualCall> calls_;
  std::mutex snapshot_mutex_;
  LatencyHistogram snapshot_;
};

class Engine {
 public:
  Engine(const LoadPlan& plan, const ArrivalSchedule& schedule, const LoadOptions& options);
  json run(const std::function<void(const LoadProgress&)>& on_progress);

  const LoadPlan& plan;
  const LoadOptions& options;
  std::vector<tcp::endpoint> endpoints;
  std::string host;
  std::vector<tcp::endpoint> feed_endpoints;  // the dashboards' server: options.feed_server, else the same
  std::string feed_host;
  const ServerUrl& feed_server() const { return options.feed_server ? *options.feed_server : options.server; }
  std::string run_id;
  std::optional<DeliveryLedger> ledger;
  RecordWriter records;
  clock::time_point started_at;
  std::atomic<std::uint64_t> in_flight{0};
  const LoadFeed* reference = nullptr;

  void feed_ended(const LoadFeed& feed, const std::string& why);
  bool stalled(const LoadFeed& feed) const { return &feed != reference && feed.index() >= stalled_from_; }

 private:
  void resolve();
  void open_feeds();
  // Dashboards take turns over the threads that run calls; the reference feed (index `dashboards`) has the
  // last thread to itself.
  Worker& worker_of_feed(std::size_t index) {
    return index == options.dashboards ? *workers_.back() : *workers_[index % options.threads];
  }
  void schedule_calls(const std::function<void(const LoadProgress&)>& on_progress);
  void wait(const std::function<bool()>& done, clock::time_point deadline,
            const std::function<void(const LoadProgress&)>& on_progress);
  void report_progress(const std::function<void(const LoadProgress&)>& on_progress);
  void stop();
  json summary(clock::time_point finished) const;
  double start_rate() const;

  const ArrivalSchedule& schedule_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  std::vector<std::unique_ptr<LoadFeed>> feeds_;
  std::uint64_t scheduled_ = 0;
  std::uint64_t dropped_ = 0;
  clock::duration feeds_opened_in_{};
  clock::time_point first_start_;  // when the first and the last start were made (or dropped)
  clock::time_point last_start_;
  clock::time_point next_progress_;
  std::uint64_t last_requests_ = 0;
  mutable std::mutex feed_mutex_;
  std::map<std::string, std::uint64_t> feed_failures_;  // why → how many dashboards
  std::map<std::string, std::uint64_t> stalled_endings_;
  std::atomic<std::size_t> stalled_ended_{0};
  std::optional<std::string> reference_failure_;
  std::size_t stalled_from_ = 0;  // feeds_[i] for i ≥ this are stalled
};

// ---- VirtualCall

VirtualCall::VirtualCall(Worker& worker, std::uint64_t index, clock::time_point start)
    : worker_(worker),
      ids_(worker.engine.plan.call_ids(worker.engine.run_id, index)),
      intended_(start),
      timer_(worker.ioc) {
  std::mt19937_64 random(worker.engine.options.seed + index);
  actions_ = worker.engine.plan.actions(random);
}

void VirtualCall::step() {
  if (next_ == actions_.size()) return worker_.ended_call(*this, false);
  const auto pause = actions_[next_].pause;
  if (pause.count() == 0) return after_pause();
  intended_ += pause;
  timer_.expires_at(intended_);
  timer_.async_wait([this](beast::error_code) { after_pause(); });
}

void VirtualCall::after_pause() {
  if (actions_[next_].send) return worker_.acquire(*this);
  ++next_;
  step();
}

void VirtualCall::send_on(LoadConnection& connection) {
  const auto& send = *actions_[next_].send;
  const auto& engine = worker_.engine;
  const auto now = now_utc();
  auto& body = worker_.body;
  body.clear();
  send.body.render(body, ids_, now);
  auto& request = connection.request();
  request.clear();
  request += "POST ";
  request += engine.options.server.prefix;
  send.target.render(request, ids_, now);
  request += " HTTP/1.1\r\nHost: ";
  request += engine.host;
  request += "\r\nUser-Agent: vapidash-load\r\nContent-Type: application/json\r\nContent-Length: ";
  request += std::to_string(body.size());
  request += "\r\n";
  const auto add_headers = [&](const HeaderList& headers) {
    for (const auto& [name, value] : headers) request.append(name).append(": ").append(value).append("\r\n");
  };
  add_headers(send.headers);
  if (send.hmac_secret) add_headers(webhook_hmac_headers(*send.hmac_secret, body, now));
  request += "\r\n";
  request += body;
  connection.exchange(*this);
}

void VirtualCall::answered(LoadConnection& connection, beast::error_code ec, unsigned status) {
  const auto now = clock::now();
  const auto& send = *actions_[next_].send;
  worker_.record_answer(send, ids_, intended_, now, ec, status, connection.body());
  worker_.release(connection);
  if (ec || static_cast<int>(status) != send.expected_status) return worker_.ended_call(*this, true);
  intended_ = now;
  ++next_;
  step();
}

// ---- Worker

Worker::Worker(Engine& owner, std::size_t connections) : engine(owner) {
  for (std::size_t i = 0; i < connections; ++i) {
    connections_.push_back(std::make_unique<LoadConnection>(ioc, engine.endpoints, engine.options.timeout));
    idle_.push_back(connections_.back().get());
  }
}

void Worker::start_call(std::uint64_t index, clock::time_point start) {
  calls_.emplace_front(*this, index, start);
  calls_.front().self = calls_.begin();
  calls_.front().step();
}

void Worker::acquire(VirtualCall& call) {
  if (idle_.empty()) return waiting_.push_back(&call);
  auto* connection = idle_.back();
  idle_.pop_back();
  call.send_on(*connection);
}

void Worker::release(LoadConnection& connection) {
  if (waiting_.empty()) return idle_.push_back(&connection);
  auto* next = waiting_.front();
  waiting_.pop_front();
  // Handed over from inside the answer's handler: the next request goes out from a fresh handler.
  net::post(ioc, [next, &connection] { next->send_on(connection); });
}

void Worker::ended_call(VirtualCall& call, bool call_failed) {
  (call_failed ? failed : completed).fetch_add(1, std::memory_order_relaxed);
  calls_.erase(call.self);
  engine.in_flight.fetch_sub(1, std::memory_order_relaxed);
}

void Worker::record_answer(const LoadSend& send, const std::vector<std::string>& ids,
                           clock::time_point intended, clock::time_point now, beast::error_code ec,
                           unsigned status, const std::string& answer) {
  const auto latency = std::chrono::duration_cast<nanoseconds>(now - intended);
  requests.fetch_add(1, std::memory_order_relaxed);
  all.record(latency);
  by_action[action_index(send.action)].record(latency);
  const bool error = ec || static_cast<int>(status) != send.expected_status;
  if (error) {
    errors.fetch_add(1, std::memory_order_relaxed);
    ++error_causes[ec ? ec.message() : "status " + std::to_string(status)];
  }
  if (!error && engine.ledger) {
    const auto event = json_count(answer, "\"status_event_id\"");
    const auto call = json_field(answer, "\"call_id\"");
    if (event && !call.empty()) engine.ledger->answered(call, *event, intended);
  }
  if (engine.records.enabled()) {
    json record{
        {"type", "request"},
        {"call", ids[0]},
        {"step", send.label},
        {"action", send.action},
        {"intended_ms", std::chrono::duration<double, std::milli>(intended - engine.started_at).count()},
        {"latency_ms", to_ms(static_cast<std::uint64_t>(latency.count()))},
        {"status", status}};
    if (error)
      record["error"] = ec ? ec.message() : "expected status " + std::to_string(send.expected_status);
    engine.records.write(dump_json(record));
  }
}

void Worker::received(LoadFeed& feed, std::string_view text, clock::time_point at) {
  if (engine.stalled(feed)) return;  // the backlog it left unread, read to learn how it ended
  if (&feed != engine.reference) {
    engine.ledger->delivered(feed.index(), upsert_call_id(text), text_hash(text), at);
    return;
  }
  const auto message = json::parse(text, nullptr, false);
  if (!message.is_object()) return;
  const auto type = message.value("type", std::string());
  if (type == "status-event") {
    const auto& event = message.value("event", json::object());
    if (event.contains("id") && event["id"].is_number_unsigned())
      engine.ledger->reference_event(message.value("callId", std::string()),
                                     event["id"].get<std::uint64_t>());
  } else if (type == "call-upsert") {
    engine.ledger->reference_upsert(upsert_call_id(text), text_hash(text));
  }
}

void Worker::ended(LoadFeed& feed, const std::string& why) {
  engine.feed_ended(feed, why);
}

void Worker::take_snapshot() {
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = all;
}

LatencyHistogram Worker::snapshot() {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

// ---- Engine

Engine::Engine(const LoadPlan& load_plan, const ArrivalSchedule& schedule, const LoadOptions& load_options)
    : plan(load_plan), options(load_options), records(load_options.records), schedule_(schedule) {
  for (const auto* server : {&options.server, &feed_server()}) {
    if (server->tls) {
      throw invalid_input(
          "load_tls",
          "load speaks plain HTTP to the server itself: point --server at its http:// address, "
          "not at a TLS front (" +
              server->url() + ")");
    }
  }
  host = options.server.host_header();
  feed_host = feed_server().host_header();
  std::mt19937_64 random(std::random_device{}());
  run_id = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count()) +
           "-" + std::to_string(random() % 100000);
  const auto reading = options.dashboards - std::min(options.stalled_dashboards, options.dashboards);
  if (reading == 0) return;
  DeliveryLedger::LatencyObserver observer;
  if (records.enabled()) {
    observer = [this](std::size_t feed, std::string_view call, nanoseconds latency) {
      records.write(dump_json(json{{"type", "delivery"},
                                   {"feed", feed},
                                   {"call", std::string(call)},
                                   {"latency_ms", to_ms(static_cast<std::uint64_t>(latency.count()))}}));
    };
  }
  ledger.emplace(reading, std::move(observer));
}

namespace {
// The server's addresses, once one of them answered a connect.
std::vector<tcp::endpoint> reachable_endpoints(const ServerUrl& server) {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  const auto results = resolver.resolve(server.host, std::to_string(server.port), ec);
  if (ec) throw connection_error("cannot resolve " + server.host + ": " + ec.message());
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  tcp::socket probe(ioc);
  net::connect(probe, endpoints, ec);
  if (ec) throw connection_error("cannot reach " + server.url() + ": " + ec.message());
  return endpoints;
}
}  // namespace

void Engine::resolve() {
  endpoints = reachable_endpoints(options.server);
  feed_endpoints = options.feed_server ? reachable_endpoints(*options.feed_server) : endpoints;
}

void Engine::feed_ended(const LoadFeed& feed, const std::string& why) {
  std::lock_guard lock(feed_mutex_);
  if (&feed == reference) {
    reference_failure_ = why;
  } else if (stalled(feed)) {
    ++stalled_endings_[why];
    ++stalled_ended_;
  } else {
    ++feed_failures_[why];
  }
}

// Opens the dashboards (the reading ones, then the stalled ones) and the reference feed, spread over the
// threads, and waits until every one is open.
void Engine::open_feeds() {
  if (options.dashboards == 0) return;
  const auto scope = options.all_tenants ? std::nullopt : std::optional<std::string>(plan.client());
  const auto& token = options.credentials.token;
  const auto dashboard = feed_server().target(dashboard_feed_target(scope, false, token));
  stalled_from_ = options.dashboards - std::min(options.stalled_dashboards, options.dashboards);
  for (std::size_t i = 0; i < options.dashboards; ++i)
    feeds_.push_back(
        std::make_unique<LoadFeed>(worker_of_feed(i).ioc, feed_endpoints, feed_host, dashboard, i));
  if (ledger) {
    feeds_.push_back(std::make_unique<LoadFeed>(
        worker_of_feed(options.dashboards).ioc, feed_endpoints, feed_host,
        feed_server().target(dashboard_feed_target(scope, true, token)), options.dashboards));
    reference = feeds_.back().get();
  }
  std::mutex mutex;
  std::condition_variable opened_all;
  std::size_t opened = 0;
  std::string first_error;
  for (std::size_t i = 0; i < feeds_.size(); ++i) {
    auto& worker = worker_of_feed(i);
    auto* feed = feeds_[i].get();
    const bool reading = feed == reference || i < stalled_from_;
    net::post(worker.ioc, [&, feed, reading] {
      feed->open(options.timeout, worker, reading, [&](const std::string& error) {
        std::lock_guard lock(mutex);
        if (!error.empty() && first_error.empty()) first_error = error;
        ++opened;
        opened_all.notify_one();
      });
    });
  }
  std::unique_lock lock(mutex);
  opened_all.wait(lock, [&] { return opened == feeds_.size(); });
  if (!first_error.empty()) {
    lock.unlock();
    stop();
    throw connection_error("cannot open a dashboard on " + feed_server().url() + ": " + first_error);
  }
}

json Engine::run(const std::function<void(const LoadProgress&)>& on_progress) {
  resolve();
  const auto per_worker = std::max<std::size_t>(1, options.connections / options.threads);
  // The reference feed gets a thread of its own: it reads every event and upsert, and if it fell behind
  // the server would close it and no delivery could be matched.
  const auto threads = options.threads + (ledger ? 1 : 0);
  for (std::size_t i = 0; i < threads; ++i) {
    workers_.push_back(std::make_unique<Worker>(*this, i < options.threads ? per_worker : 0));
    guards_.push_back(net::make_work_guard(workers_.back()->ioc));
  }
  for (auto& worker : workers_) threads_.emplace_back([&ioc = worker->ioc] { ioc.run(); });
  const auto opening = clock::now();
  open_feeds();
  started_at = clock::now();
  feeds_opened_in_ = started_at - opening;
  next_progress_ = started_at + std::chrono::seconds(1);
  schedule_calls(on_progress);
  wait([&] { return in_flight.load() == 0; }, clock::time_point::max(), on_progress);
  const auto finished = clock::now();
  if (ledger) wait([&] { return ledger->settled(); }, clock::now() + options.drain, on_progress);
  stop();
  if (records.enabled()) records.flush();
  return summary(finished);
}

void Engine::schedule_calls(const std::function<void(const LoadProgress&)>& on_progress) {
  for (;;) {
    const auto at = schedule_.start_of(scheduled_);
    if (!at) return;
    const auto due = started_at + std::chrono::duration_cast<clock::duration>(*at);
    if (due > clock::now()) {
      std::this_thread::sleep_until(std::min(due, next_progress_));
      report_progress(on_progress);
      continue;
    }
    const auto index = scheduled_++;
    (index == 0 ? first_start_ : last_start_) = clock::now();
    if (in_flight.load(std::memory_order_relaxed) >= options.max_in_flight) {
      ++dropped_;
      continue;
    }
    in_flight.fetch_add(1, std::memory_order_relaxed);
    auto& worker = *workers_[index % options.threads];
    net::post(worker.ioc, [&worker, index, due] { worker.start_call(index, due); });
  }
}

void Engine::wait(const std::function<bool()>& done, clock::time_point deadline,
                  const std::function<void(const LoadProgress&)>& on_progress) {
  while (!done() && clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
    report_progress(on_progress);
  }
}

void Engine::report_progress(const std::function<void(const LoadProgress&)>& on_progress) {
  const auto now = clock::now();
  if (now < next_progress_) return;
  next_progress_ += std::chrono::seconds(1);
  LoadProgress progress;
  progress.elapsed = std::chrono::duration_cast<milliseconds>(now - started_at);
  LatencyHistogram merged;
  for (auto& worker : workers_) {
    progress.requests += worker->requests.load(std::memory_order_relaxed);
    progress.errors += worker->errors.load(std::memory_order_relaxed);
    merged.merge(worker->snapshot());
    net::post(worker->ioc, [w = worker.get()] { w->take_snapshot(); });
  }
  progress.started = scheduled_ - dropped_;
  progress.dropped = dropped_;
  progress.in_flight = in_flight.load(std::memory_order_relaxed);
  progress.rate = static_cast<double>(progress.requests - last_requests_);
  last_requests_ = progress.requests;
  if (merged.count() > 0) progress.p99_ms = to_ms(merged.value_at_quantile(0.99));
  if (on_progress) on_progress(progress);
}

// Reads what the stalled dashboards left, to learn whether the server closed them (briefly: one it did not
// close just has a backlog), closes the feeds, lets the threads finish what is under way, and joins them.
void Engine::stop() {
  for (std::size_t i = stalled_from_; i < options.dashboards && i < feeds_.size(); ++i)
    net::post(worker_of_feed(i).ioc, [feed = feeds_[i].get()] { feed->resume(); });
  const auto stalled_count = feeds_.empty() ? 0 : options.dashboards - stalled_from_;
  const auto give_up = clock::now() + std::chrono::seconds(1);
  while (stalled_ended_.load() < stalled_count && clock::now() < give_up)
    std::this_thread::sleep_for(milliseconds(5));
  for (std::size_t i = 0; i < feeds_.size(); ++i)
    net::post(worker_of_feed(i).ioc, [feed = feeds_[i].get()] { feed->close(); });
  guards_.clear();
  const auto deadline = clock::now() + std::chrono::seconds(2);
  for (auto& worker : workers_) {
    while (!worker->ioc.stopped() && clock::now() < deadline) std::this_thread::sleep_for(milliseconds(5));
  }
  for (auto& worker : workers_) worker->ioc.stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

// Calls started (or dropped) per second: the open model keeps it at the schedule's rate even when the server
// falls behind.
double Engine::start_rate() const {
  if (scheduled_ < 2) return 0.0;
  const auto span = std::chrono::duration<double>(last_start_ - first_start_).count();
  return span > 0 ? std::round(static_cast<double>(scheduled_ - 1) / span * 10) / 10 : 0.0;
}

json Engine::summary(clock::time_point finished) const {
  LatencyHistogram all;
  std::array<LatencyHistogram, sending_actions.size()> by_action;
  std::uint64_t requests = 0, errors = 0, completed = 0, failed = 0;
  std::map<std::string, std::uint64_t> causes;
  for (const auto& worker : workers_) {
    all.merge(worker->all);
    for (std::size_t i = 0; i < by_action.size(); ++i) by_action[i].merge(worker->by_action[i]);
    requests += worker->requests;
    errors += worker->errors;
    completed += worker->completed;
    failed += worker->failed;
    for (const auto& [cause, count] : worker->error_causes) causes[cause] += count;
  }
  const auto seconds = std::chrono::duration<double>(finished - started_at).count();
  auto http = latency_json(all);
  json actions = json::object();
  for (std::size_t i = 0; i < by_action.size(); ++i)
    if (by_action[i].count() > 0) actions[sending_actions[i]] = latency_json(by_action[i]);
  http["by_action"] = actions;
  json out{
      {"scenario", plan.scenario().name},
      {"file", plan.scenario().file},
      {"server", options.server.url()},
      {"feed_server", feed_server().url()},
      {"duration_s", std::round(seconds * 1000) / 1000},
      {"calls",
       {{"scheduled", scheduled_},
        {"started", scheduled_ - dropped_},
        {"completed", completed},
        {"failed", failed}}},
      {"requests", requests},
      {"errors", errors},
      {"error_rate", requests == 0 ? 0.0 : static_cast<double>(errors) / static_cast<double>(requests)},
      {"dropped", dropped_},
      {"start_rate_achieved", start_rate()},
      {"rate_achieved", seconds > 0 ? std::round(static_cast<double>(requests) / seconds * 10) / 10 : 0.0},
      {"errors_by_cause", causes},
      {"http", http}};
  json delivery{
      {"dashboards", stalled_from_},
      {"opened_in_ms", std::round(std::chrono::duration<double, std::milli>(feeds_opened_in_).count())}};
  std::uint64_t lost = 0, duplicated = 0, reordered = 0, failed_feeds = 0;
  std::lock_guard lock(feed_mutex_);
  for (const auto& [why, count] : feed_failures_) failed_feeds += count;
  if (ledger) {
    const auto totals = ledger->totals();
    lost = totals.lost;
    duplicated = totals.duplicated;
    reordered = totals.reordered;
    delivery["expected"] = totals.expected;
    delivery["received"] = totals.received;
    json problems = json::array();
    for (std::size_t i = 0; i < totals.feeds.size() && problems.size() < 20; ++i) {
      const auto& feed = totals.feeds[i];
      if (feed.lost + feed.duplicated + feed.reordered == 0) continue;
      problems.push_back(json{{"feed", i},
                              {"received", feed.received},
                              {"lost", feed.lost},
                              {"duplicated", feed.duplicated},
                              {"reordered", feed.reordered}});
    }
    delivery["feeds_with_problems"] = problems;
  }
  const auto latency = ledger ? ledger->latency() : LatencyHistogram();
  const auto latencies = latency_json(latency);
  for (const auto& [key, value] : latencies.items()) delivery[key] = value;
  delivery["lost"] = lost;
  delivery["duplicated"] = duplicated;
  delivery["reordered"] = reordered;
  delivery["failed_feeds"] = failed_feeds;
  delivery["feed_failures"] = feed_failures_;
  if (reference_failure_) {
    unmeasured(delivery, *reference_failure_);
  } else if (ledger && ledger->reference_behind() > 0) {
    unmeasured(delivery, "still " + std::to_string(ledger->reference_behind()) +
                             " events behind when --drain ran out: the server or the generator is saturated");
  }
  if (options.stalled_dashboards > 0)
    delivery["stalled"] =
        json{{"dashboards", options.dashboards - stalled_from_}, {"closed", stalled_endings_}};
  out["delivery"] = delivery;
  for (const auto* key : {"lost", "duplicated", "reordered", "failed_feeds"}) out[key] = delivery[key];
  out["skipped_expectations"] = plan.skipped_expectations();
  return out;
}

}  // namespace

json run_load(const LoadPlan& plan, const ArrivalSchedule& schedule, const LoadOptions& options,
              const std::function<void(const LoadProgress&)>& on_progress) {
  Engine engine(plan, schedule, options);
  return engine.run(on_progress);
}

}  // namespace vapidash
