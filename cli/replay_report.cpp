#include "cli/replay_report.hpp"

#include <cstdio>

namespace vapidash::cli {

namespace {

std::string seconds_text(std::chrono::milliseconds span) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(span.count()) / 1000.0);
  return text;
}

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

json failure_json(const Failure& failure) {
  json mismatches = json::array();
  for (const auto& m : failure.mismatches)
    mismatches.push_back(json{{"pointer", m.pointer}, {"expected", m.expected}, {"actual", m.actual}});
  return json{{"step", failure.step},           {"message", failure.message},
              {"mismatches", mismatches},       {"actual", failure.actual.value_or(json())},
              {"feed_tail", failure.feed_tail}, {"curl", failure.curl}};
}

std::chrono::milliseconds total(const ReplaySummary& summary,
                                std::chrono::microseconds ScenarioResult::*part) {
  std::chrono::microseconds sum{0};
  for (const auto& result : summary.results) sum += result.*part;
  return std::chrono::duration_cast<std::chrono::milliseconds>(sum);
}

std::int64_t whole_ms(std::chrono::microseconds span) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(span).count();
}

}  // namespace

int ReplaySummary::failed() const {
  int count = 0;
  for (const auto& result : results) count += result.passed() ? 0 : 1;
  return count;
}

std::string step_line(const Output& out, const StepReport& step) {
  const auto* mark = step.passed ? "\u2713" : "\u2717";
  return "  " + std::string(mark) + " " + step.label + (step.name.empty() ? "" : " " + step.name) + "  " +
         out.dim(step.action + "  " + std::to_string(step.took.count() / 1000) + " ms");
}

std::string result_line(const Output& out, const ScenarioResult& result) {
  const auto verdict = result.passed() ? out.bold("PASS") : out.bold("FAIL");
  return verdict + " " + result.file + "  " + result.name + "  " +
         out.dim(std::to_string(result.took.count()) + " ms");
}

std::string failure_text(const ScenarioResult& result) {
  const auto& failure = *result.failure;
  std::string text = result.file + ": " + failure.step + ": " + failure.message + "\n";
  for (const auto& m : failure.mismatches) {
    text += "  at " + (m.pointer.empty() ? std::string("/") : m.pointer) + ":\n    - expected " + m.expected +
            "\n    + actual   " + m.actual + "\n";
  }
  if (failure.actual) text += "  actual: " + dump_json(*failure.actual) + "\n";
  if (!failure.feed_tail.empty()) {
    text += "  last messages on the feed:\n";
    for (const auto& line : failure.feed_tail) text += "    " + line + "\n";
  } else {
    text += "  the feed received nothing\n";
  }
  if (!failure.curl.empty()) text += "  re-send: " + failure.curl + "\n";
  text += "  seed " + std::to_string(result.seed) + ": vapidash replay " + result.file + " --seed " +
          std::to_string(result.seed) + "\n";
  return text;
}

std::string summary_line(const ReplaySummary& summary) {
  const auto failed = summary.failed();
  const auto passed = static_cast<int>(summary.results.size()) - failed;
  return std::to_string(passed) + " passed, " + std::to_string(failed) + " failed, " +
         std::to_string(summary.skipped.size()) + " skipped in " + seconds_text(summary.took) + " (waiting " +
         seconds_text(total(summary, &ScenarioResult::waited)) + ", sending " +
         seconds_text(total(summary, &ScenarioResult::sending)) + ", summed over runs)";
}

json summary_json(const ReplaySummary& summary) {
  json runs = json::array();
  for (const auto& result : summary.results) {
    json steps = json::array();
    for (const auto& step : result.steps)
      steps.push_back(json{{"step", step.label},
                           {"name", step.name},
                           {"action", step.action},
                           {"passed", step.passed},
                           {"took_us", step.took.count()}});
    runs.push_back(json{{"file", result.file},
                        {"name", result.name},
                        {"passed", result.passed()},
                        {"seed", result.seed},
                        {"took_ms", result.took.count()},
                        {"waited_ms", whole_ms(result.waited)},
                        {"sending_ms", whole_ms(result.sending)},
                        {"steps", steps},
                        {"failure", result.failure ? failure_json(*result.failure) : json()}});
  }
  const auto failed = summary.failed();
  return json{{"passed", static_cast<int>(summary.results.size()) - failed},
              {"failed", failed},
              {"skipped", summary.skipped},
              {"took_ms", summary.took.count()},
              {"runs", runs}};
}

std::string junit_xml(const ReplaySummary& summary) {
  std::string cases;
  for (const auto& result : summary.results) {
    cases += "  <testcase classname=\"" + xml_escaped(result.file) + "\" name=\"" + xml_escaped(result.name) +
             "\" time=\"" + std::to_string(static_cast<double>(result.took.count()) / 1000.0) + "\">\n";
    if (result.failure) {
      cases += "    <failure message=\"" +
               xml_escaped(result.failure->step + ": " + result.failure->message) + "\">" +
               xml_escaped(failure_text(result)) + "</failure>\n";
    }
    cases += "  </testcase>\n";
  }
  for (const auto& file : summary.skipped)
    cases += "  <testcase classname=\"" + xml_escaped(file) + "\" name=\"" + xml_escaped(file) +
             "\"><skipped/></testcase>\n";
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"vapidash replay\" tests=\"" +
         std::to_string(summary.results.size() + summary.skipped.size()) + "\" failures=\"" +
         std::to_string(summary.failed()) + "\" skipped=\"" + std::to_string(summary.skipped.size()) +
         "\" time=\"" + std::to_string(static_cast<double>(summary.took.count()) / 1000.0) + "\">\n" + cases +
         "</testsuite>\n";
}

}  // namespace vapidash::cli
