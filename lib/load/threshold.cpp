#include "vapidash/load/threshold.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

#include "vapidash/error.hpp"
#include "vapidash/spelling.hpp"

namespace vapidash {

namespace {

enum class MetricKind { count, rate, fraction, latency };

const std::vector<std::pair<std::string, MetricKind>>& known_metrics() {
  static const auto metrics = [] {
    std::vector<std::pair<std::string, MetricKind>> list;
    for (const char* name :
         {"requests", "errors", "dropped", "lost", "duplicated", "reordered", "failed_feeds"}) {
      list.emplace_back(name, MetricKind::count);
    }
    list.emplace_back("rate_achieved", MetricKind::rate);
    list.emplace_back("error_rate", MetricKind::fraction);
    for (const std::string source : {"http", "delivery"}) {
      for (const char* statistic : {"p50", "p90", "p99", "p999", "max"}) {
        list.emplace_back(source + "." + statistic, MetricKind::latency);
      }
    }
    return list;
  }();
  return metrics;
}

const std::vector<std::string> threshold_operators{"<", "<=", ">", ">=", "==", "!="};

// Nanoseconds per unit: number * ns / 1e6 rounds once, so "4200us" is the same double as "4.2" (number *
// 0.001 is not always). The micro sign and the Greek mu look alike, and keyboards type either.
const std::vector<std::pair<std::string, double>> time_units{
    {"us", 1e3}, {"\u00b5s", 1e3}, {"\u03bcs", 1e3}, {"ms", 1e6}, {"s", 1e9}};

[[noreturn]] void reject_threshold(const std::string& text, const std::string& why,
                                   const std::string& example) {
  throw invalid_input("invalid_threshold",
                      "threshold \"" + text + "\": " + why + "; write it like " + example);
}

std::string example_for(const std::string& metric, MetricKind kind) {
  switch (kind) {
    case MetricKind::count:
      return metric + "==0";
    case MetricKind::rate:
      return metric + ">=900";
    case MetricKind::fraction:
      return metric + "<1%";
    case MetricKind::latency:
      return metric + "<20ms";
  }
  return metric;
}

MetricKind kind_of(const std::string& text, const std::string& metric) {
  const auto& metrics = known_metrics();
  const auto known =
      std::find_if(metrics.begin(), metrics.end(), [&](const auto& entry) { return entry.first == metric; });
  if (known != metrics.end()) return known->second;
  std::vector<std::string> names;
  for (const auto& entry : metrics) names.push_back(entry.first);
  throw invalid_input("invalid_threshold",
                      "threshold \"" + text + "\": " + unknown_word_message("metric", metric, names));
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string trimmed(const std::string& text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && is_blank(text[begin])) ++begin;
  while (end > begin && is_blank(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

std::size_t skip_blanks(const std::string& text, std::size_t at) {
  while (at < text.size() && is_blank(text[at])) ++at;
  return at;
}

const double* ns_per(const std::string& unit) {
  for (const auto& [name, ns] : time_units) {
    if (name == unit) return &ns;
  }
  return nullptr;
}

// The value after the operator, as written: "20", "20ms", "1 %".
struct WrittenValue {
  double number;
  std::string number_text;
  std::string unit;
};

WrittenValue split_value(const std::string& text, const std::string& value, const std::string& example) {
  double number = 0;
  const auto [number_end, failure] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (failure != std::errc{} || !std::isfinite(number)) {
    reject_threshold(text, "\"" + value + "\" is not a number", example);
  }
  if (number < 0) reject_threshold(text, "no measurement is negative", example);
  const auto number_size = static_cast<std::size_t>(number_end - value.data());
  return WrittenValue{number, value.substr(0, number_size), trimmed(value.substr(number_size))};
}

double in_milliseconds(const std::string& text, const WrittenValue& value, const std::string& example) {
  if (value.unit.empty()) return value.number;
  const auto* ns = ns_per(value.unit);
  if (!ns)
    reject_threshold(text, "\"" + value.unit + "\" is not a unit of time (us, \u00b5s, ms or s)", example);
  return value.number * *ns / 1e6;
}

// A count, rate_achieved or error_rate: no unit, but error_rate may be a percentage.
double unitless(const std::string& text, const std::string& metric, MetricKind kind,
                const WrittenValue& value, const std::string& example) {
  const auto& unit = value.unit;
  if (ns_per(unit)) reject_threshold(text, metric + " is not a latency: it takes no unit of time", example);
  if (unit == "%" && kind != MetricKind::fraction)
    reject_threshold(text, "only error_rate takes a %", example);
  if (!unit.empty() && unit != "%")
    reject_threshold(text, "unexpected \"" + unit + "\" after the number", example);
  if (kind == MetricKind::count && value.number != std::floor(value.number)) {
    reject_threshold(text, metric + " counts events: " + value.number_text + " is not a whole number",
                     example);
  }
  const double fraction_or_number = unit == "%" ? value.number / 100 : value.number;
  if (kind == MetricKind::fraction && fraction_or_number > 1) {
    reject_threshold(text, metric + " is a fraction of the requests, at most 1 (100%)", example);
  }
  return fraction_or_number;
}

bool holds(double measured, const std::string& op, double limit) {
  if (op == "<") return measured < limit;
  if (op == "<=") return measured <= limit;
  if (op == ">") return measured > limit;
  if (op == ">=") return measured >= limit;
  if (op == "==") return measured == limit;
  if (op == "!=") return measured != limit;
  throw invalid_input("invalid_threshold",
                      "\"" + op + "\" is not an operator (" + comma_list(threshold_operators) + ")");
}

// The metric's number in the summary ("http.p99" is at /http/p99); nullptr when absent, null or not a number.
const json* measurement_of(const json& summary, const std::string& metric) {
  const auto* node = json_at_path(summary, metric);
  return node && node->is_number() ? node : nullptr;
}

// Three significant digits, never in exponent form: 31.4, 1235, 0.0523.
std::string significant(double value) {
  const int magnitude = value == 0 ? 0 : static_cast<int>(std::floor(std::log10(std::abs(value))));
  const int decimals = std::clamp(2 - magnitude, 0, 6);
  char text[512];  // %.0f of the largest double is 309 digits
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string shown = text;
  if (shown.find('.') != std::string::npos) {
    shown.erase(shown.find_last_not_of('0') + 1);
    if (shown.back() == '.') shown.pop_back();
  }
  return shown;
}

std::string shown_as(MetricKind kind, double measured) {
  switch (kind) {
    case MetricKind::count:
      return std::to_string(std::llround(measured));
    case MetricKind::rate:
      return significant(measured) + "/s";
    case MetricKind::fraction:
      return significant(measured) + " (" + significant(measured * 100) + "%)";
    case MetricKind::latency:
      return significant(measured) + " ms";
  }
  return significant(measured);
}

std::string why_not_measured(const std::string& metric) {
  if (metric.starts_with("delivery.")) return "were no dashboards connected?";
  if (metric.starts_with("http.")) return "did no request complete?";
  return "not in the summary";
}

}  // namespace

Threshold parse_threshold(const std::string& written) {
  const auto text = trimmed(written);
  const auto generic_example = std::string("http.p99<20ms or errors==0");
  const auto metric_end = std::min(text.find_first_of("<>=! \t"), text.size());
  const auto metric = text.substr(0, metric_end);
  if (metric.empty()) reject_threshold(text, "it names no metric", generic_example);
  const auto kind = kind_of(text, metric);
  const auto example = example_for(metric, kind);

  const auto op_start = skip_blanks(text, metric_end);
  const auto op_end = std::min(text.find_first_not_of("<>=!", op_start), text.size());
  const auto op = text.substr(op_start, op_end - op_start);
  const auto operators = comma_list(threshold_operators);
  if (op.empty()) reject_threshold(text, "no operator (" + operators + ") after " + metric, example);
  if (std::find(threshold_operators.begin(), threshold_operators.end(), op) == threshold_operators.end()) {
    reject_threshold(text, "\"" + op + "\" is not an operator (" + operators + ")", example);
  }

  const auto value_text = text.substr(skip_blanks(text, op_end));
  if (value_text.empty()) reject_threshold(text, "no value after " + op, example);
  const auto value = split_value(text, value_text, example);
  return Threshold{text, metric, op,
                   kind == MetricKind::latency ? in_milliseconds(text, value, example)
                                               : unitless(text, metric, kind, value, example)};
}

std::vector<std::string> violated(const std::vector<Threshold>& thresholds, const json& summary) {
  std::vector<std::string> lines;
  for (const auto& threshold : thresholds) {
    const auto kind = kind_of(threshold.text, threshold.metric);
    const auto* measurement = measurement_of(summary, threshold.metric);
    if (!measurement) {
      lines.push_back(threshold.text + ": not measured (" + why_not_measured(threshold.metric) + ")");
      continue;
    }
    const auto measured = measurement->get<double>();
    if (!holds(measured, threshold.op, threshold.value)) {
      lines.push_back(threshold.text + ": measured " + shown_as(kind, measured));
    }
  }
  return lines;
}

}  // namespace vapidash
