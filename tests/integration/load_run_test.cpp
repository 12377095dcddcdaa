// lib/load in-process against a real server, with several generator threads, dashboards and the events feed
// at once: the suite that the ThreadSanitizer run covers (the CLI tests run load as a child process).

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"
#include "support/test_server.hpp"
#include "vapidash/load/load_run.hpp"

namespace vapidash::test {
namespace {

TEST(LoadRun, ThreadsConnectionsAndDashboardsAddUpExactly) {
  TestServer server;
  TempDir dir;
  const auto file = dir.file("two-steps.json");
  std::ofstream(file) << R"({"vapidash_scenario": 1, "name": "two steps", "client": "load-run",
    "steps": [{"webhook": {"type": "status-update", "status": "ringing"}},
              {"webhook": {"type": "status-update", "status": "in-progress"}}]})";
  const auto scenario = load_scenario(file, {});
  const LoadPlan plan(scenario, {});
  const ArrivalSchedule schedule(200, std::nullopt, {}, 40, std::nullopt);
  LoadOptions options;
  options.server = server.endpoint();
  options.threads = 3;
  options.connections = 6;
  options.dashboards = 4;
  std::ostringstream records;
  options.records = &records;
  std::size_t progress_reports = 0;
  const auto summary = run_load(plan, schedule, options, [&](const LoadProgress&) { ++progress_reports; });

  EXPECT_EQ(summary["calls"]["completed"], 40);
  EXPECT_EQ(summary["requests"], 80);
  EXPECT_EQ(summary["errors"], 0);
  EXPECT_EQ(summary["delivery"]["expected"], 40 * 2 * 4);
  EXPECT_EQ(summary["delivery"]["received"], 40 * 2 * 4);
  EXPECT_EQ(summary["delivery"]["count"], 40 * 2 * 4);
  EXPECT_EQ(summary["lost"], 0);
  EXPECT_EQ(summary["reordered"], 0);
  std::size_t lines = 0;
  std::istringstream in(records.str());
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_EQ(lines, 80u + 40 * 2 * 4);
}

}  // namespace
}  // namespace vapidash::test
