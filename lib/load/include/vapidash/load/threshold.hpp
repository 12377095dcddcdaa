#pragma once

#include <string>
#include <vector>

#include "vapidash/wire/json.hpp"

namespace vapidash {

// A pass/fail criterion on a load run's summary, as written: "http.p99<20ms", "errors==0", "error_rate<1%".
struct Threshold {
  std::string text;    // as written (trimmed), to name it in reports
  std::string metric;  // "http.p99", "errors", ...
  std::string op;      // <, <=, >, >=, ==, !=
  double value;        // latencies in ms, error_rate a fraction, counts and rate_achieved as they are
};

// Metrics: the counts requests, errors, dropped, lost, duplicated, reordered, failed_feeds; rate_achieved
// (requests/s); error_rate (a fraction: 0.01 or 1%); the latencies http.p50, .p90, .p99, .p999, .max and the
// same under delivery. Latencies take a unit, us, µs, ms or s (none means ms). Spaces may surround the
// operator. Throws invalid_input("invalid_threshold") saying what is wrong, with an example that is right.
Threshold parse_threshold(const std::string& text);

// One line per threshold the summary breaks: "http.p99<20ms: measured 31.4 ms". A metric absent or null in
// the summary was not measured, which breaks the threshold too. The summary holds counts and rates at the top
// level ("/errors", "/error_rate") and latencies in ms under "/http" and "/delivery" ("/http/p99").
std::vector<std::string> violated(const std::vector<Threshold>& thresholds, const json& summary);

}  // namespace vapidash
