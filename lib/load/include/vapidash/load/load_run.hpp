#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "vapidash/load/arrival_schedule.hpp"
#include "vapidash/load/load_plan.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

struct LoadOptions {
  ServerUrl server;
  // Where the dashboards connect, when not to `server`: another server on the same database, to measure
  // delivery across servers.
  std::optional<ServerUrl> feed_server;
  Credentials credentials;
  std::chrono::milliseconds timeout{10000};  // each request, and opening each feed
  std::size_t dashboards = 0;
  std::size_t stalled_dashboards = 0;  // of those, how many open and then never read
  bool all_tenants = false;            // dashboards on the all-tenants feed instead of the scenario's tenant
  std::size_t connections = 32;
  std::size_t max_in_flight = 10000;
  std::size_t threads = 2;
  std::uint64_t seed = 1;
  std::chrono::milliseconds drain{5000};  // how long dashboards may take to catch up after the last answer
  std::ostream* records = nullptr;        // one JSON line per request and per delivery
};

// What the run looks like so far, once a second.
struct LoadProgress {
  std::chrono::milliseconds elapsed{0};
  std::uint64_t started = 0;
  std::uint64_t dropped = 0;
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::uint64_t in_flight = 0;
  double rate = 0;               // requests per second over the last second
  std::optional<double> p99_ms;  // of every answer so far
};

// Runs the plan's virtual calls on the schedule (the open model: a call starts when its time comes, whatever
// the server's latency, or is counted as dropped when max_in_flight calls are running) and returns the
// summary: counts, HTTP latency from each request's intended send time, and deliveries to the dashboards.
// Throws connection_error when the server cannot be reached or a dashboard cannot open.
json run_load(const LoadPlan& plan, const ArrivalSchedule& schedule, const LoadOptions& options,
              const std::function<void(const LoadProgress&)>& on_progress = {});

}  // namespace vapidash
