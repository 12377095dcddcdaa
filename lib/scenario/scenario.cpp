#include "vapidash/scenario/scenario.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "vapidash/client/webhook_builder.hpp"
#include "vapidash/scenario/json_subset.hpp"
#include "vapidash/scenario/template.hpp"

namespace vapidash {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> actions{"webhook", "debug_call", "log_event",   "control",         "annotate",
                                       "sleep",   "expect_ws",  "expect_call", "expect_timeline", "group"};

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

std::string kind_of(const json& value) {
  if (value.is_string()) return "a string";
  if (value.is_number()) return "a number";
  if (value.is_boolean()) return "a boolean";
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  return "null";
}

const std::vector<std::string> reserved_step_names{"env",  "vars", "calls", "call_id",
                                                   "uuid", "now",  "now_ms"};

// Names that references use (${calls.NAME}, ${vars.NAME}, ${NAME:path}, "feed": NAME) are identifiers.
bool is_name(const std::string& text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

const char* const name_rule = "letters, digits, '_' and '-', starting with a letter or '_'";

std::string problem_list(const std::string& file, const std::vector<ScenarioProblem>& problems) {
  std::string out = file + " is not a valid scenario:";
  for (const auto& problem : problems)
    out += "\n  " + file + ": " + (problem.pointer.empty() ? "/" : problem.pointer) + ": " + problem.message;
  return out;
}

// Collects the problems of one file as it is walked.
class Validator {
 public:
  Validator(std::string directory, TemplateScope scope)
      : directory_(std::move(directory)), scope_(std::move(scope)) {}

  std::vector<ScenarioProblem> problems;
  std::map<std::string, json> payloads;  // the webhook files, by the path as written

  void problem(const std::string& pointer, std::string message) {
    problems.push_back(ScenarioProblem{pointer, std::move(message)});
  }

  bool any_object(const json& value, const std::string& at) {
    if (value.is_object()) return true;
    problem(at, "expected an object, got " + kind_of(value));
    return false;
  }

  // Keys outside `allowed` are problems: a misspelt key must not be silently ignored.
  bool object(const json& value, const std::string& at, const std::vector<std::string>& allowed) {
    if (!value.is_object()) {
      problem(at, "expected an object, got " + kind_of(value));
      return false;
    }
    for (const auto& [key, item] : value.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        problem(at + "/" + pointer_token(key), "unknown key; expected one of: " + join(allowed));
    }
    return true;
  }

  void string(const json& parent, const char* key, const std::string& at, bool required = false) {
    if (!parent.contains(key)) {
      if (required) problem(at + "/" + key, "required: a string");
      return;
    }
    if (!parent[key].is_string()) problem(at + "/" + key, "expected a string, got " + kind_of(parent[key]));
  }

  void milliseconds(const json& parent, const char* key, const std::string& at) {
    if (!parent.contains(key)) return;
    const auto& value = parent[key];
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 3'600'000)
      problem(at + "/" + key, "expected milliseconds: a whole number from 0 to 3600000");
  }

  void matcher_body(const json& value, const std::string& at) {
    if (auto why = invalid_matcher(value); !why.empty()) problem(at, why);
  }

  // Reads and keeps the message file once, so runs never touch the disk for it again.
  void file_reference(const json& value, const std::string& at) {
    if (!value.is_string())
      return problem(at, "expected a path relative to the scenario, got " + kind_of(value));
    const auto path = (fs::path(directory_) / value.get<std::string>()).string();
    std::ifstream in(path);
    if (!in) return problem(at, "cannot read " + path);
    try {
      auto envelope = json::parse(in);
      if (!envelope.is_object() || !envelope.contains("message") || !envelope["message"].is_object())
        return problem(at, path + " is not a {\"message\": {...}} envelope");
      payloads[value.get<std::string>()] = std::move(envelope);
    } catch (const json::parse_error& e) {
      problem(at, path + " is not JSON " + where_json_breaks(e));
    }
  }

  void chaos(const json& value, const std::string& at) {
    if (!object(value, at, {"duplicate", "reorder", "jitter_ms"})) return;
    if (value.contains("duplicate") &&
        (!value["duplicate"].is_number_integer() || value["duplicate"].get<int>() < 0 ||
         value["duplicate"].get<int>() > 100))
      problem(at + "/duplicate", "expected the number of extra copies: a whole number from 0 to 100");
    if (value.contains("reorder") && !value["reorder"].is_boolean())
      problem(at + "/reorder", "expected true or false");
    milliseconds(value, "jitter_ms", at);
  }

  void steps(const json& list, const std::string& at, const std::vector<std::string>& feeds,
             const json& chaos_in_force, bool in_chaos) {
    if (!list.is_array() || list.empty()) return problem(at, "expected a non-empty array of steps");
    for (std::size_t i = 0; i < list.size(); ++i)
      step(list[i], at + "/" + std::to_string(i), feeds, chaos_in_force, in_chaos);
  }

  void references(const json& value, const std::string& at) {
    try {
      for (const auto& reference : template_references(value, at)) {
        if (auto why = unresolvable(reference.text, scope_, named_); !why.empty())
          problem(reference.pointer, why);
      }
    } catch (const invalid_input& e) {
      problem(at, e.what());
    }
  }

 private:
  void step(const json& value, const std::string& at, const std::vector<std::string>& feeds,
            const json& chaos_in_force, bool in_chaos) {
    if (!value.is_object()) return problem(at, "expected a step object, got " + kind_of(value));
    std::vector<std::string> present;
    for (const auto& action : actions) {
      if (value.contains(action)) present.push_back(action);
    }
    if (present.size() != 1) {
      return problem(at, present.empty() ? "a step needs one action: " + join(actions)
                                         : "a step has one action, this one has " + join(present));
    }
    const auto& action = present.front();
    std::vector<std::string> allowed{"name", action};
    if (is_sending_action(action)) allowed.push_back("expect");
    object(value, at, allowed);
    const auto here = at + "/" + action;
    const auto& body = value[action];
    if (in_chaos && (action == "control" || action == "annotate")) {
      problem(here, "a group whose chaos duplicates or reorders may not repeat \"" + action +
                        "\": a supervisor acts once; move it after the group");
    } else if (in_chaos && !is_sending_action(action) && action != "sleep") {
      problem(here, "a group whose chaos duplicates or reorders may only send and sleep: move \"" + action +
                        "\" after the group");
    }
    if (value.contains("expect")) expect(value["expect"], at + "/expect", in_chaos);
    if (action == "webhook") webhook(body, here);
    if (action == "debug_call") debug_call(body, here);
    if (action == "log_event") log_event(body, here);
    if (action == "control" || action == "annotate") call_request(body, here);
    if (action == "sleep") {
      if (!body.is_number_integer() || body.get<std::int64_t>() < 0 || body.get<std::int64_t>() > 3'600'000)
        problem(here, "expected milliseconds: a whole number from 0 to 3600000");
    }
    if (action == "expect_ws") expect_ws(body, here, feeds);
    if (action == "expect_call") expect_call(body, here);
    if (action == "expect_timeline") expect_timeline(body, here);
    if (action == "group") group(body, here, feeds, chaos_in_force);
    if (action != "group") references(value, at);
    if (value.contains("name")) {
      if (!value["name"].is_string() || !is_name(value["name"].get<std::string>())) {
        problem(at + "/name", std::string("expected a step name: ") + name_rule);
      } else if (std::find(reserved_step_names.begin(), reserved_step_names.end(), value["name"]) !=
                 reserved_step_names.end()) {
        problem(at + "/name", "\"" + value["name"].get<std::string>() + "\" is a reference of its own (${" +
                                  value["name"].get<std::string>() + "...}); name the step otherwise");
      } else if (std::find(named_.begin(), named_.end(), value["name"]) != named_.end()) {
        problem(at + "/name", "another step is already named \"" + value["name"].get<std::string>() + "\"");
      } else {
        named_.push_back(value["name"]);
      }
    }
  }

  void expect(const json& value, const std::string& at, bool in_chaos) {
    if (!object(value, at,
                in_chaos ? std::vector<std::string>{"status"} : std::vector<std::string>{"status", "body"})) {
      if (in_chaos && value.is_object())
        problem(at, "inside a duplicating or reordering group an expect may only state \"status\"");
      return;
    }
    if (value.contains("status") && (!value["status"].is_number_integer() ||
                                     value["status"].get<int>() < 100 || value["status"].get<int>() > 599))
      problem(at + "/status", "expected an HTTP status: a whole number from 100 to 599");
    if (value.contains("body")) matcher_body(value["body"], at + "/body");
  }

  void webhook(const json& value, const std::string& at) {
    if (!object(value, at, {"type", "status", "call", "set", "file", "secret", "hmac_secret", "client"}))
      return;
    for (const auto* key : {"status", "call", "secret", "hmac_secret", "client"}) string(value, key, at);
    if (value.contains("file")) {
      file_reference(value["file"], at + "/file");
    } else {
      string(value, "type", at, true);
    }
    if (value.contains("type") && value["type"].is_string() && template_references(value["type"]).empty()) {
      const auto& known = known_webhook_types();
      if (std::find(known.begin(), known.end(), value["type"]) == known.end())
        problem(at + "/type", "unknown message type; known: " + join(known));
    }
    if (value.contains("set") && !value["set"].is_object())
      problem(at + "/set", "expected an object of dotted path -> JSON value");
    if (value.contains("secret") && value.contains("hmac_secret"))
      problem(at, "\"secret\" and \"hmac_secret\" exclude each other");
  }

  void debug_call(const json& value, const std::string& at) {
    if (!object(value, at, {"body", "client"})) return;
    if (value.contains("body") && !value["body"].is_object()) problem(at + "/body", "expected an object");
    string(value, "client", at);
  }

  void log_event(const json& value, const std::string& at) {
    if (!object(value, at, {"call", "body", "client"})) return;
    if (value.contains("body") && !value["body"].is_object()) problem(at + "/body", "expected an object");
    string(value, "call", at);
    string(value, "client", at);
  }

  // control and annotate: a JSON body for one call, checked by the server, not here.
  void call_request(const json& value, const std::string& at) {
    if (!object(value, at, {"call", "body", "client"})) return;
    if (!value.contains("body") || !value["body"].is_object()) problem(at + "/body", "expected an object");
    string(value, "call", at);
    string(value, "client", at);
  }

  void expect_ws(const json& value, const std::string& at, const std::vector<std::string>& feeds) {
    if (!object(value, at, {"feed", "next", "within", "none", "timeout_ms", "window_ms"})) return;
    const auto modes = static_cast<int>(value.contains("next")) + static_cast<int>(value.contains("within")) +
                       static_cast<int>(value.contains("none"));
    if (modes != 1) problem(at, "expected exactly one of \"next\", \"within\" or \"none\"");
    for (const auto* mode : {"next", "within", "none"}) {
      if (value.contains(mode)) matcher_body(value[mode], at + "/" + mode);
    }
    const auto feed = value.value("feed", json("default"));
    if (!feed.is_string() || std::find(feeds.begin(), feeds.end(), feed.get<std::string>()) == feeds.end())
      problem(at + "/feed", "no feed named " + dump_json(feed) + "; the scenario's feeds: " + join(feeds));
    milliseconds(value, "timeout_ms", at);
    milliseconds(value, "window_ms", at);
    if (value.contains("window_ms") && !value.contains("none"))
      problem(at + "/window_ms", "only \"none\" waits a window; \"next\" and \"within\" take \"timeout_ms\"");
  }

  void eventually(const json& value, const std::string& at) {
    if (!object(value, at, {"timeout_ms", "interval_ms"})) return;
    milliseconds(value, "timeout_ms", at);
    milliseconds(value, "interval_ms", at);
  }

  void expect_call(const json& value, const std::string& at) {
    if (!object(value, at, {"call", "client", "from", "match", "absent", "eventually"})) return;
    string(value, "call", at);
    string(value, "client", at);
    if (value.contains("from") && value["from"] != "detail" && value["from"] != "list")
      problem(at + "/from", "expected \"detail\" or \"list\"");
    if (value.contains("match") == (value.value("absent", false) == true))
      problem(at, "expected either \"match\" (a subset of the call) or \"absent\": true");
    if (value.contains("absent") && value["absent"] != true) problem(at + "/absent", "expected true");
    if (value.contains("match")) {
      if (!value["match"].is_object()) problem(at + "/match", "expected an object: a subset of the call");
      matcher_body(value["match"], at + "/match");
    }
    if (value.contains("eventually")) eventually(value["eventually"], at + "/eventually");
  }

  void expect_timeline(const json& value, const std::string& at) {
    if (!object(value, at, {"call", "client", "exact", "subsequence", "eventually"})) return;
    string(value, "call", at);
    string(value, "client", at);
    if (value.contains("exact") == value.contains("subsequence"))
      problem(at, "expected exactly one of \"exact\" or \"subsequence\"");
    for (const auto* key : {"exact", "subsequence"}) {
      if (!value.contains(key)) continue;
      const auto& list = value[key];
      if (!list.is_array() ||
          !std::all_of(list.begin(), list.end(), [](const json& s) { return s.is_string(); }))
        problem(at + "/" + key, "expected an array of status strings");
    }
    if (value.contains("eventually")) eventually(value["eventually"], at + "/eventually");
  }

  void group(const json& value, const std::string& at, const std::vector<std::string>& feeds,
             const json& chaos_in_force) {
    if (!object(value, at, {"chaos", "steps"})) return;
    auto in_force = chaos_in_force;
    if (value.contains("chaos")) {
      chaos(value["chaos"], at + "/chaos");
      if (value["chaos"].is_object()) in_force = value["chaos"];
    }
    const bool unordered = in_force.is_object() &&
                           (in_force.value("reorder", false) == true || in_force.value("duplicate", 0) != 0);
    if (!value.contains("steps")) return problem(at + "/steps", "required: the steps of the group");
    steps(value["steps"], at + "/steps", feeds, in_force, unordered);
  }

  std::string directory_;
  TemplateScope scope_;
  std::vector<std::string> named_;
};

std::string read_file(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw invalid_input("unreadable_scenario", "cannot read the scenario " + file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<FeedSpec> feeds_of(const json& root, Validator& check) {
  if (!root.contains("feeds"))
    return {FeedSpec{"default", root.value("client", json()), std::nullopt, false}};
  std::vector<FeedSpec> feeds;
  if (!check.any_object(root["feeds"], "/feeds")) return feeds;
  for (const auto& [name, spec] : root["feeds"].items()) {
    const auto at = "/feeds/" + pointer_token(name);
    if (!is_name(name)) check.problem(at, std::string("expected a feed name: ") + name_rule);
    if (!spec.is_object()) {
      check.problem(at, "expected an object: {\"client\": ..., \"token\": ..., \"events\": ...}");
      continue;
    }
    std::set<std::string> known{"client", "token", "events"};
    for (const auto& [key, item] : spec.items()) {
      if (!known.count(key))
        check.problem(at + "/" + key, "unknown key; expected one of: client, token, events");
    }
    FeedSpec feed{name, spec.value("client", root.value("client", json())), std::nullopt, false};
    if (!feed.client.is_string() && !feed.client.is_null())
      check.problem(at + "/client", "expected a tenant, or null for every tenant's feed");
    if (spec.contains("token")) {
      if (spec["token"].is_string()) {
        feed.token = spec["token"].get<std::string>();
      } else {
        check.problem(at + "/token", "expected a string");
      }
    }
    if (spec.contains("events")) {
      if (spec["events"].is_boolean()) {
        feed.events = spec["events"].get<bool>();
      } else {
        check.problem(at + "/events", "expected true or false");
      }
    }
    feeds.push_back(std::move(feed));
  }
  return feeds;
}

void read_header(const json& root, Scenario& scenario, Validator& check) {
  check.object(root, "",
               {"vapidash_scenario", "name", "description", "tags", "client", "vars", "calls", "feeds",
                "tenants_file", "chaos", "steps"});
  if (root.value("vapidash_scenario", json()) != 1)
    check.problem("/vapidash_scenario", "required: 1 (the format version this vapidash reads)");
  check.string(root, "name", "", true);
  check.string(root, "description", "");
  check.string(root, "client", "", true);
  if (root.contains("name") && root["name"].is_string()) scenario.name = root["name"];
  if (root.contains("description") && root["description"].is_string())
    scenario.description = root["description"];
  scenario.client = root.value("client", json());
  if (root.contains("tags")) {
    const auto& tags = root["tags"];
    if (!tags.is_array() ||
        !std::all_of(tags.begin(), tags.end(), [](const json& t) { return t.is_string(); })) {
      check.problem("/tags", "expected an array of strings");
    } else {
      for (const auto& tag : tags) scenario.tags.push_back(tag);
    }
  }
  if (root.contains("tenants_file")) {
    check.string(root, "tenants_file", "");
    if (root["tenants_file"].is_string()) {
      const auto path = (fs::path(scenario.directory) / root["tenants_file"].get<std::string>()).string();
      if (!fs::is_regular_file(path)) check.problem("/tenants_file", "cannot read " + path);
      scenario.tenants_file = path;
    }
  }
  if (root.contains("chaos")) {
    check.chaos(root["chaos"], "/chaos");
    scenario.chaos = root["chaos"];
  }
}

std::map<std::string, json> vars_of(const json& root, const ScenarioInputs& inputs, Validator& check) {
  std::map<std::string, json> vars;
  if (root.contains("vars") && check.any_object(root["vars"], "/vars")) {
    for (const auto& [name, value] : root["vars"].items()) {
      if (!is_name(name))
        check.problem("/vars/" + pointer_token(name), std::string("expected a variable name: ") + name_rule);
      if (value.is_object() || value.is_array() || value.is_null()) {
        check.problem("/vars/" + pointer_token(name), "expected a string, number or boolean");
      }
      vars[name] = value;
    }
  }
  for (const auto& [name, value] : inputs.vars) vars[name] = value;
  return vars;
}

std::vector<std::string> calls_of(const json& root, Validator& check) {
  std::vector<std::string> calls;
  if (!root.contains("calls")) return calls;
  const auto& list = root["calls"];
  if (!list.is_array()) {
    check.problem("/calls", "expected an array of call names");
    return calls;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto at = "/calls/" + std::to_string(i);
    if (!list[i].is_string() || !is_name(list[i].get<std::string>())) {
      check.problem(at, std::string("expected a call name: ") + name_rule);
    } else if (std::find(calls.begin(), calls.end(), list[i]) != calls.end()) {
      check.problem(at, "\"" + list[i].get<std::string>() + "\" is listed twice");
    } else {
      calls.push_back(list[i]);
    }
  }
  return calls;
}

}  // namespace

invalid_scenario::invalid_scenario(std::string file, std::vector<ScenarioProblem> problems)
    : invalid_input("invalid_scenario", problem_list(file, problems)),
      file_(std::move(file)),
      problems_(std::move(problems)) {}

bool Scenario::tagged(const std::string& tag) const {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

bool is_sending_action(const std::string& action) {
  return action == "webhook" || action == "debug_call" || action == "log_event" || action == "control" ||
         action == "annotate";
}

std::string step_action(const json& step) {
  for (const auto& action : actions) {
    if (step.contains(action)) return action;
  }
  return "";
}

Scenario load_scenario(const std::string& file, const ScenarioInputs& inputs) {
  json root;
  try {
    root = json::parse(read_file(file));
  } catch (const json::parse_error& e) {
    throw invalid_scenario(file, {ScenarioProblem{"", "not JSON " + where_json_breaks(e)}});
  }
  Scenario scenario;
  scenario.file = file;
  scenario.directory = fs::path(file).parent_path().string();
  if (scenario.directory.empty()) scenario.directory = ".";
  Validator header(scenario.directory, {});
  if (!root.is_object()) throw invalid_scenario(file, {ScenarioProblem{"", "expected a JSON object"}});
  read_header(root, scenario, header);
  scenario.vars = vars_of(root, inputs, header);
  scenario.calls = calls_of(root, header);
  scenario.env = inputs.env;

  TemplateScope scope;
  scope.call_id = "call";
  for (const auto& call : scenario.calls) scope.calls[call] = call;
  scope.vars = scenario.vars;
  scope.env = inputs.env;
  Validator check(scenario.directory, scope);
  check.problems = std::move(header.problems);
  check.references(scenario.client, "/client");
  scenario.feeds = feeds_of(root, check);
  std::vector<std::string> feed_names;
  for (const auto& feed : scenario.feeds) {
    check.references(feed.client, "/feeds/" + feed.name + "/client");
    feed_names.push_back(feed.name);
  }
  if (!root.contains("steps")) {
    check.problem("/steps", "required: a non-empty array of steps");
  } else {
    check.steps(root["steps"], "/steps", feed_names, scenario.chaos, false);
    scenario.steps = root["steps"];
    scenario.payloads = std::move(check.payloads);
  }
  if (!check.problems.empty()) throw invalid_scenario(file, std::move(check.problems));
  return scenario;
}

}  // namespace vapidash
