#include "vapidash/load/load_plan.hpp"

#include <algorithm>

namespace vapidash {

namespace {

constexpr char marker_edge = '\x7f';  // DEL: never in a scenario's text, and JSON keeps it as it is

std::string tenant_of(const json& client, const TemplateScope& scope) {
  return expand_templates(client, scope).get<std::string>();
}

bool uses_answers(const json& step) {
  for (const auto& reference : template_references(step)) {
    const auto& text = reference.text;
    const auto colon = text.find(':');
    if (colon != std::string::npos && text.compare(0, colon, "env") != 0) return true;
  }
  return false;
}

}  // namespace

std::string RequestTemplate::marker(Hole hole, std::size_t call) {
  switch (hole) {
    case Hole::call:
      return marker_edge + ("c" + std::to_string(call)) + marker_edge;
    case Hole::now_ms:
      return std::string{marker_edge, 'm', marker_edge};
    case Hole::now:
      return std::string{marker_edge, 'n', marker_edge};
    case Hole::uuid:
      return std::string{marker_edge, 'u', marker_edge};
  }
  return {};
}

RequestTemplate::RequestTemplate(std::string_view text) {
  std::string literal;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto open = text.find(marker_edge, at);
    if (open == std::string_view::npos) break;
    const auto close = text.find(marker_edge, open + 1);
    literal.append(text.substr(at, open - at));
    Part part;
    const auto code = text.substr(open + 1, close - open - 1);
    at = close + 1;
    if (code[0] == 'c') {
      part.hole = Hole::call;
      part.call = std::stoul(std::string(code.substr(1)));
    } else {
      part.hole = code[0] == 'm' ? Hole::now_ms : code[0] == 'n' ? Hole::now : Hole::uuid;
    }
    // ${now_ms} standing for a whole JSON string is a number: the quotes around its marker go.
    if (part.hole == Hole::now_ms && !literal.empty() && literal.back() == '"' && at < text.size() &&
        text[at] == '"') {
      literal.pop_back();
      ++at;
    }
    part.text = std::move(literal);
    literal.clear();
    parts_.push_back(std::move(part));
  }
  literal.append(text.substr(std::min(at, text.size())));
  if (!literal.empty()) parts_.push_back(Part{std::move(literal), std::nullopt, 0});
}

void RequestTemplate::render(std::string& out, const std::vector<std::string>& call_ids,
                             timestamp now) const {
  for (const auto& part : parts_) {
    out += part.text;
    if (!part.hole) continue;
    switch (*part.hole) {
      case Hole::call:
        out += call_ids[part.call];
        break;
      case Hole::now_ms:
        out += std::to_string(
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
        break;
      case Hole::now:
        out += format_timestamp(now);
        break;
      case Hole::uuid:
        out += random_uuid();
        break;
    }
  }
}

std::size_t RequestTemplate::holes() const {
  return static_cast<std::size_t>(
      std::count_if(parts_.begin(), parts_.end(), [](const Part& p) { return p.hole; }));
}

LoadPlan::LoadPlan(const Scenario& scenario, const Credentials& credentials)
    : scenario_(scenario), credentials_(credentials) {
  using Hole = RequestTemplate::Hole;
  scope_.call_id = RequestTemplate::marker(Hole::call, 0);
  for (std::size_t i = 0; i < scenario.calls.size(); ++i)
    scope_.calls[scenario.calls[i]] = RequestTemplate::marker(Hole::call, i + 1);
  scope_.vars = scenario.vars;
  scope_.env = scenario.env;
  scope_.generated = [](const std::string& reference) -> json {
    if (reference == "uuid") return RequestTemplate::marker(Hole::uuid);
    if (reference == "now") return RequestTemplate::marker(Hole::now);
    return RequestTemplate::marker(Hole::now_ms);
  };
  client_ = tenant_of(scenario.client, scope_);
  stages_.emplace_back();
  add_steps(scenario.steps, "");
}

void LoadPlan::add_steps(const json& steps, const std::string& prefix) {
  for (std::size_t i = 0; i < steps.size(); ++i) add_step(steps[i], prefix + std::to_string(i + 1));
}

// Adds to the last stage.
void LoadPlan::add_step(const json& step, const std::string& label) {
  const auto action = step_action(step);
  auto& stage = stages_.back();
  if (action == "sleep") {
    stage.entries.push_back(Entry{0, true, std::chrono::milliseconds(step["sleep"].get<std::int64_t>())});
  } else if (is_sending_action(action)) {
    sends_.push_back(compile_send(step, label, action));
    stage.entries.push_back(Entry{sends_.size() - 1, false, {}});
  } else if (action != "group") {
    ++skipped_expectations_;
  } else {
    const auto& group = step["group"];
    const auto chaos = group.value("chaos", scenario_.chaos);
    const auto copies = 1 + chaos.value("duplicate", 0);
    const bool reorder = chaos.value("reorder", false);
    const auto jitter_ms = chaos.value("jitter_ms", 0);
    if (copies == 1 && !reorder && jitter_ms == 0) return add_steps(group["steps"], label + ".");
    // A group with chaos is a stage of its own, shuffled per virtual call; the steps after it start another.
    stages_.push_back(Stage{{}, copies, reorder, jitter_ms});
    add_steps(group["steps"], label + ".");
    stages_.emplace_back();
  }
}

LoadSend LoadPlan::compile_send(const json& step, const std::string& label, const std::string& action) const {
  if (uses_answers(step)) {
    throw invalid_input("load_unsupported",
                        "step " + label + " of " + scenario_.file +
                            " uses the answer of an earlier step (${STEP:path}); load renders every request "
                            "before the run and cannot: use ${call_id} or ${calls.NAME} instead");
  }
  const auto spec = expand_templates(step[action], scope_);
  LoadSend send;
  send.label = label;
  send.action = action;
  if (step.contains("expect"))
    send.expected_status = expand_templates(step["expect"], scope_).value("status", 200);
  const auto now = now_utc();
  if (action == "webhook") {
    auto envelope = webhook_envelope(scenario_, spec, scope_.call_id, now);
    // Each send is stamped when it leaves, unless the step sets its own timestamp.
    if (!spec.value("set", json::object()).contains("timestamp"))
      envelope["message"]["timestamp"] = RequestTemplate::marker(RequestTemplate::Hole::now_ms);
    send.target = RequestTemplate(step_target(action, spec, client_, scope_.call_id));
    send.body = RequestTemplate(dump_json(envelope));
    const auto credential = webhook_credential(spec, credentials_);
    if (credential.kind == WebhookCredential::Kind::hmac) {
      send.hmac_secret = credential.value;
    } else {
      send.headers = credential_headers(credential, "", now);
    }
    return send;
  }
  const auto request = step_request(scenario_, action, spec, client_, scope_.call_id, credentials_, now);
  send.target = RequestTemplate(request.target);
  send.body = RequestTemplate(request.body);
  send.headers = request.headers;
  return send;
}

std::vector<LoadAction> LoadPlan::actions(std::mt19937_64& random) const {
  std::vector<LoadAction> out;
  for (const auto& stage : stages_) {
    std::vector<const Entry*> entries;
    for (const auto& entry : stage.entries) {
      const int copies = entry.sleep ? 1 : stage.copies;
      for (int copy = 0; copy < copies; ++copy) entries.push_back(&entry);
    }
    if (stage.reorder) std::shuffle(entries.begin(), entries.end(), random);
    for (const auto* entry : entries) {
      const auto jitter = std::chrono::milliseconds(
          stage.jitter_ms > 0 ? std::uniform_int_distribution<int>(0, stage.jitter_ms)(random) : 0);
      if (entry->sleep) {
        out.push_back(LoadAction{nullptr, entry->pause + jitter});
      } else {
        out.push_back(LoadAction{&sends_[entry->send], jitter});
      }
    }
  }
  return out;
}

std::vector<std::string> LoadPlan::call_ids(const std::string& run_id, std::uint64_t index) const {
  const auto base = "load-" + run_id + "-" + std::to_string(index);
  std::vector<std::string> ids{base};
  for (const auto& name : scenario_.calls) ids.push_back(base + "-" + name);
  return ids;
}

}  // namespace vapidash
