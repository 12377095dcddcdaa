#include "vapidash/scenario/runner.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <thread>
#include <variant>

#include "vapidash/model/timestamp.hpp"
#include "vapidash/scenario/feed_recorder.hpp"
#include "vapidash/scenario/template.hpp"

namespace vapidash {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds default_feed_timeout{5000};
constexpr milliseconds default_window{500};
constexpr milliseconds default_poll_interval{100};
constexpr std::size_t feed_tail_size = 10;

// A sending step made concrete: its request and what its answer must be.
struct Send {
  std::string label;
  std::string name;
  std::string action;
  StepRequest request;
  json expect;
};

// Ends the run at the first failing step.
struct StepFailed {
  Failure failure;
};

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string step_title(const std::string& label, const std::string& name) {
  return "step " + label + (name.empty() ? "" : " (" + name + ")");
}

// Seconds since the epoch, a random part and a process-wide count: unique across runs, processes and
// machines sharing a server.
std::string fresh_run_id() {
  static std::atomic<unsigned> sequence{0};
  thread_local std::mt19937 random{std::random_device{}()};
  char part[8];
  std::snprintf(part, sizeof part, "%05x", static_cast<unsigned>(random() & 0xfffff));
  return std::to_string(unix_seconds(now_utc())) + "-" + part + "-" + std::to_string(sequence++);
}

class Run {
 public:
  Run(const Scenario& scenario, const RunOptions& options, const StepObserver& on_step)
      : scenario_(scenario),
        options_(options),
        on_step_(on_step),
        http_(options.server, options.timeout, options.tls),
        random_(options.seed),
        run_id_(options.run_id.empty() ? fresh_run_id() : options.run_id) {
    scope_.call_id = call_id_for("");
    for (const auto& call : scenario.calls) scope_.calls[call] = call_id_for(call);
    scope_.vars = scenario.vars;
    scope_.env = scenario.env;
    run_calls_.insert(scope_.call_id);
    for (const auto& [name, id] : scope_.calls) run_calls_.insert(id);
    client_ = expand_templates(scenario.client, scope_).get<std::string>();
    result_.file = scenario.file;
    result_.name = scenario.name;
    result_.seed = options.seed;
  }

  ScenarioResult execute() {
    const auto started = clock::now();
    open_feeds();
    try {
      run_steps(scenario_.steps, "");
    } catch (StepFailed& failed) {
      result_.failure = std::move(failed.failure);
    }
    result_.took = std::chrono::duration_cast<milliseconds>(clock::now() - started);
    return std::move(result_);
  }

 private:
  std::string call_id_for(const std::string& name) const {
    return "replay-" + run_id_ + (name.empty() ? "" : "-" + name);
  }

  void open_feeds() {
    for (const auto& spec : scenario_.feeds) {
      const auto client = expand_templates(spec.client, scope_);
      const auto target = dashboard_feed_target(
          client.is_string() ? std::optional<std::string>(client.get<std::string>()) : std::nullopt,
          spec.events, spec.token ? spec.token : options_.credentials.token);
      feeds_[spec.name] =
          std::make_unique<FeedRecorder>(options_.server, target, options_.timeout, options_.tls);
      cursors_[spec.name] = 0;
    }
  }

  // ---- the steps

  // `first` numbers the steps when they are a slice of a longer list.
  void run_steps(const json& steps, const std::string& prefix, std::size_t first = 0) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const auto& step = steps[i];
      const auto label = prefix + std::to_string(first + i + 1);
      const auto action = step_action(step);
      const auto name = step.value("name", std::string());
      failing_ = step_title(label, name);
      reported(label, name, action, [&] {
        if (action == "group") {
          run_group(step["group"], label + ".");
        } else if (is_sending_action(action)) {
          send(prepare(step, label, action));
        } else {
          check(action, expand_templates(step[action], scope_));
        }
      });
    }
  }

  // Runs one step and reports it, as passed or as the step that failed.
  template <class Body>
  void reported(const std::string& label, const std::string& name, const std::string& action, Body body) {
    const auto started = clock::now();
    const auto took = [&] {
      return std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started);
    };
    try {
      body();
    } catch (const StepFailed&) {
      report(StepReport{label, name, action, false, took()});
      throw;
    }
    report(StepReport{label, name, action, true, took()});
  }

  void report(const StepReport& step) {
    result_.steps.push_back(step);
    if (on_step_) on_step_(step);
  }

  void check(const std::string& action, const json& spec) {
    if (action == "sleep") return wait_for(scaled(milliseconds(spec.get<std::int64_t>())));
    if (action == "expect_ws") return expect_ws(spec);
    if (action == "expect_call") return expect_call(spec);
    if (action == "expect_timeline") return expect_timeline(spec);
  }

  // Duplicates and reorders the group's sends (and sleeps) as its chaos says, from the run's seed. Without
  // chaos, a group is its steps in order.
  void run_group(const json& group, const std::string& prefix) {
    const auto chaos = group.value("chaos", scenario_.chaos);
    const auto copies = 1 + chaos.value("duplicate", 0);
    const bool reorder = chaos.value("reorder", false);
    const auto& steps = group["steps"];
    if (copies == 1 && !reorder) return run_with_jitter(steps, prefix, chaos.value("jitter_ms", 0));
    std::vector<std::variant<Send, milliseconds>> items;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const auto action = step_action(steps[i]);
      if (action == "sleep") {
        items.emplace_back(scaled(milliseconds(steps[i]["sleep"].get<std::int64_t>())));
        continue;
      }
      const auto send = prepare(steps[i], prefix + std::to_string(i + 1), action);
      for (int copy = 0; copy < copies; ++copy) items.emplace_back(send);
    }
    if (reorder) std::shuffle(items.begin(), items.end(), random_);
    for (const auto& item : items) {
      jitter(chaos.value("jitter_ms", 0));
      if (const auto* pause = std::get_if<milliseconds>(&item)) {
        wait_for(*pause);
        continue;
      }
      const auto& one = std::get<Send>(item);
      failing_ = step_title(one.label, one.name);
      reported(one.label, one.name, one.action, [&] { send(one); });
    }
  }

  void run_with_jitter(const json& steps, const std::string& prefix, int jitter_ms) {
    if (jitter_ms == 0) return run_steps(steps, prefix);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      jitter(jitter_ms);
      run_steps(json::array({steps[i]}), prefix, i);
    }
  }

  void jitter(int jitter_ms) {
    if (jitter_ms > 0)
      wait_for(scaled(milliseconds(std::uniform_int_distribution<int>(0, jitter_ms)(random_))));
  }

  // ---- sending

  Send prepare(const json& step, const std::string& label, const std::string& action) {
    const auto spec = expand_templates(step[action], scope_);
    Send out{label, step.value("name", std::string()), action, {}, json{{"status", 200}}};
    if (step.contains("expect")) {
      out.expect = expand_templates(step["expect"], scope_);
      if (!out.expect.contains("status")) out.expect["status"] = 200;
    }
    out.request =
        step_request(scenario_, action, spec, client_, scope_.call_id, options_.credentials, now_utc());
    return out;
  }

  void add_token(HeaderList& headers) const {
    if (options_.credentials.token)
      headers.emplace_back("authorization", "Bearer " + *options_.credentials.token);
  }

  void send(const Send& send) {
    const auto started = clock::now();
    const auto response =
        http_.request(send.request.method, send.request.target, send.request.body, send.request.headers);
    result_.sending += std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started);
    auto answer = json::parse(response.body, nullptr, false);
    if (answer.is_discarded()) answer = response.body;
    const json actual{{"status", response.status}, {"body", answer}};
    auto mismatches = match_subset(send.expect, actual);
    if (!mismatches.empty()) {
      fail("the answer of " + std::string(http::to_string(send.request.method)) + " " + send.request.target +
               " is not what the step expects",
           std::move(mismatches), actual, curl_of(send.request));
    }
    if (answer.is_object() && answer.contains("call_id") && answer["call_id"].is_string())
      run_calls_.insert(answer["call_id"].get<std::string>());
    if (!send.name.empty() && !scope_.answers.count(send.name)) scope_.answers[send.name] = answer;
  }

  // ---- expectations

  std::string feed_name(const json& spec) const { return spec.value("feed", std::string("default")); }

  bool ours(const json& message) const {
    return message.is_object() && message.value("type", json()) == "call-upsert" &&
           message.contains("call") && message["call"].is_object() &&
           run_calls_.count(message["call"].value("id", std::string())) > 0;
  }

  void expect_ws(const json& spec) {
    const auto name = feed_name(spec);
    auto& feed = *feeds_.at(name);
    auto& cursor = cursors_.at(name);
    const auto started = clock::now();
    if (spec.contains("none")) {
      const auto& unwanted = spec["none"];
      const auto seen =
          feed.until(cursor, started + scaled(milliseconds(spec.value("window_ms", default_window.count()))));
      note_wait(started);
      for (const auto& message : seen) {
        if (match_subset(unwanted, message).empty()) {
          fail("feed \"" + name + "\" received a message that must not arrive", {}, message, "", {name});
        }
      }
      return;
    }
    const bool next = spec.contains("next");
    const auto& wanted = next ? spec["next"] : spec["within"];
    const auto deadline =
        started + scaled(milliseconds(spec.value("timeout_ms", default_feed_timeout.count())));
    const auto found = feed.next(cursor, deadline, [&](const json& message) {
      return next ? ours(message) : match_subset(wanted, message).empty();
    });
    note_wait(started);
    const auto why_none = feed.ended().empty() ? "" : " (the feed closed: " + feed.ended() + ")";
    if (next) {
      if (!found) {
        fail("feed \"" + name + "\" received no call-upsert of this run's calls in time" + why_none, {},
             std::nullopt, "", {name});
      }
      auto mismatches = match_subset(wanted, *found);
      if (!mismatches.empty()) {
        fail("the next call-upsert on feed \"" + name + "\" is not the expected one", std::move(mismatches),
             *found, "", {name});
      }
      return;
    }
    if (!found) {
      fail("feed \"" + name + "\" received no message matching " + dump_json(wanted) + " in time" + why_none,
           {}, std::nullopt, "", {name});
    }
  }

  // Polls until `attempt` finds nothing wrong or the step's `eventually` runs out; one try without it.
  template <class Attempt>
  void poll(const json& spec, Attempt attempt) {
    const auto started = clock::now();
    const bool repeat = spec.contains("eventually");
    const auto eventually = spec.value("eventually", json::object());
    const auto deadline = started + scaled(milliseconds(eventually.value("timeout_ms", 3000)));
    const auto interval = milliseconds(eventually.value("interval_ms", default_poll_interval.count()));
    for (;;) {
      auto outcome = attempt();
      if (!outcome || !repeat || clock::now() + interval > deadline) {
        if (repeat) note_wait(started);
        if (outcome) throw StepFailed{std::move(*outcome)};
        return;
      }
      std::this_thread::sleep_for(interval);
    }
  }

  // The failure of the current step, with the last messages of the named feeds (of every feed when none is
  // named).
  std::optional<Failure> failure(std::string message, std::vector<Mismatch> mismatches,
                                 std::optional<json> actual, std::string curl,
                                 const std::vector<std::string>& feeds = {}) const {
    return Failure{failing_,          std::move(message), std::move(mismatches),
                   std::move(actual), feed_tail(feeds),   std::move(curl)};
  }

  void expect_call(const json& spec) {
    const auto client = spec.value("client", client_);
    const auto call = spec.value("call", scope_.call_id);
    const bool from_list = spec.value("from", std::string("detail")) == "list";
    const bool absent = spec.value("absent", false);
    const StepRequest read{http::verb::get,
                           from_list ? "/api/" + client + "/calls" : "/api/" + client + "/calls/" + call,
                           {},
                           {}};
    poll(spec, [&]() -> std::optional<Failure> {
      const auto found = read_call(read, call, from_list);
      if (absent) {
        if (!found) return std::nullopt;
        return failure("call " + call + " of " + client + " must not exist, but it does", {}, found,
                       curl_of(read));
      }
      if (!found)
        return failure("tenant " + client + " has no call " + call, {}, std::nullopt, curl_of(read));
      auto mismatches = match_subset(spec["match"], *found);
      if (mismatches.empty()) return std::nullopt;
      return failure("call " + call + " is not as expected", std::move(mismatches), found, curl_of(read));
    });
  }

  std::optional<json> read_call(StepRequest read, const std::string& call, bool from_list) {
    add_token(read.headers);
    const auto answer = get(read);
    if (from_list) {
      if (!answer.is_array()) return std::nullopt;
      for (const auto& row : answer) {
        if (row.is_object() && row.value("id", std::string()) == call) return row;
      }
      return std::nullopt;
    }
    if (!answer.is_object() || !answer.contains("id")) return std::nullopt;
    return answer;
  }

  json get(const StepRequest& read) {
    const auto started = clock::now();
    const auto response = http_.request(read.method, read.target, {}, read.headers);
    result_.sending += std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started);
    auto answer = json::parse(response.body, nullptr, false);
    return answer.is_discarded() ? json() : answer;
  }

  void expect_timeline(const json& spec) {
    const auto client = spec.value("client", client_);
    const auto call = spec.value("call", scope_.call_id);
    StepRequest read{http::verb::get, "/api/debug/status-events/" + client + "/" + call, {}, {}};
    add_token(read.headers);
    const bool exact = spec.contains("exact");
    const auto& wanted = exact ? spec["exact"] : spec["subsequence"];
    poll(spec, [&]() -> std::optional<Failure> {
      const auto events = get(read);
      json statuses = json::array();
      if (events.is_array()) {
        for (const auto& event : events) statuses.push_back(event.value("status", json()));
      }
      if (exact) {
        auto mismatches = match_subset(wanted, statuses);
        if (mismatches.empty()) return std::nullopt;
        return failure("the timeline of " + call + " is not exactly " + dump_json(wanted),
                       std::move(mismatches), statuses, curl_of(read));
      }
      std::size_t next = 0;
      for (const auto& status : statuses) {
        if (next < wanted.size() && status == wanted[next]) ++next;
      }
      if (next == wanted.size()) return std::nullopt;
      return failure("the timeline of " + call + " does not contain " + dump_json(wanted) +
                         " in order: the first missing is " + dump_json(wanted[next]),
                     {}, statuses, curl_of(read));
    });
  }

  // ---- reporting

  [[noreturn]] void fail(std::string message, std::vector<Mismatch> mismatches, std::optional<json> actual,
                         std::string curl, const std::vector<std::string>& feeds = {}) {
    throw StepFailed{
        *failure(std::move(message), std::move(mismatches), std::move(actual), std::move(curl), feeds)};
  }

  std::vector<std::string> feed_tail(const std::vector<std::string>& names) const {
    std::vector<std::string> lines;
    for (const auto& [name, feed] : feeds_) {
      if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) continue;
      for (auto& text : feed->last(feed_tail_size)) lines.push_back(name + ": " + text);
    }
    return lines;
  }

  std::string curl_of(const StepRequest& request) const {
    return curl_command(std::string(http::to_string(request.method)), options_.server.url() + request.target,
                        request.headers, request.body);
  }

  milliseconds scaled(milliseconds span) const {
    return milliseconds(static_cast<std::int64_t>(static_cast<double>(span.count()) / options_.speed));
  }

  void wait_for(milliseconds span) {
    std::this_thread::sleep_for(span);
    result_.waited += span;
  }

  void note_wait(clock::time_point started) {
    result_.waited += std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started);
  }

  const Scenario& scenario_;
  const RunOptions& options_;
  const StepObserver& on_step_;
  HttpClient http_;
  std::mt19937_64 random_;
  std::string run_id_;
  TemplateScope scope_;
  std::string client_;
  std::set<std::string> run_calls_;
  std::map<std::string, std::unique_ptr<FeedRecorder>> feeds_;
  std::map<std::string, std::size_t> cursors_;
  std::string failing_;
  ScenarioResult result_;
};

}  // namespace

ScenarioResult run_scenario(const Scenario& scenario, const RunOptions& options,
                            const StepObserver& on_step) {
  return Run(scenario, options, on_step).execute();
}

std::string curl_command(const std::string& method, const std::string& url, const HeaderList& headers,
                         const std::string& body) {
  std::string out = "curl -sS -X " + method + " " + quoted(url);
  for (const auto& [name, value] : headers) {
    const bool secret = name == "x-vapi-secret" || name == "authorization";
    out += " -H " + quoted(name + ": " + (secret ? "<" + name + " withheld>" : value));
  }
  if (!body.empty()) out += " -H 'content-type: application/json' --data-binary " + quoted(body);
  return out;
}

}  // namespace vapidash
