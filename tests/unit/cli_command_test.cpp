#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/client_options.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "vapidash/error.hpp"

namespace vapidash::cli {
namespace {

using namespace std::chrono_literals;

int run_in_process(std::vector<std::string> args) {
  args.insert(args.begin(), "vapidash");
  std::vector<const char*> argv;
  for (const auto& arg : args) argv.push_back(arg.c_str());
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  const int code = run(static_cast<int>(argv.size()), argv.data());
  testing::internal::GetCapturedStdout();
  testing::internal::GetCapturedStderr();
  return code;
}

TEST(ParseDuration, ReadsEveryUnitAndPlainSeconds) {
  EXPECT_EQ(parse_duration("500ms"), 500ms);
  EXPECT_EQ(parse_duration("30s"), 30s);
  EXPECT_EQ(parse_duration("2m"), 120s);
  EXPECT_EQ(parse_duration("1h"), 3600s);
  EXPECT_EQ(parse_duration("30d"), 30 * 86400s);
  EXPECT_EQ(parse_duration("1.5"), 1500ms);
  EXPECT_EQ(parse_duration("0"), 0ms);
}

TEST(ParseDuration, RefusesWhatIsNotADuration) {
  for (const std::string text : {"", "s", "abc", "10x", "-5s", "5 s", "1y"}) {
    EXPECT_THROW(parse_duration(text), invalid_input) << '"' << text << '"';
  }
}

TEST(TerminalTime, ShowsTheRequestedPartOfAUtcTimestamp) {
  const std::optional<std::string> at = "2025-12-10T07:05:14.195889";
  EXPECT_EQ(terminal_time(at, TimeShown::date_time), "2025-12-10 07:05:14");
  EXPECT_EQ(terminal_time(at, TimeShown::time), "07:05:14");
  EXPECT_EQ(terminal_time(at, TimeShown::precise_time), "07:05:14.195889");
}

TEST(TerminalTime, ReadsOtherIsoFormsAsTheSameInstant) {
  EXPECT_EQ(terminal_time("2025-12-10T07:05:14Z", TimeShown::precise_time), "07:05:14.000000");
  EXPECT_EQ(terminal_time("2025-12-10T08:05:14+01:00", TimeShown::date_time), "2025-12-10 07:05:14");
}

TEST(TerminalTime, ShowsADashForNoneOrGarbage) {
  EXPECT_EQ(terminal_time(std::nullopt, TimeShown::time), "-");
  EXPECT_EQ(terminal_time("yesterday", TimeShown::time), "-");
  EXPECT_EQ(terminal_time("2025-12", TimeShown::date_time), "-");
}

TEST(CommandLine, RunsInProcessAndReturnsTheDocumentedExitCodes) {
  EXPECT_EQ(run_in_process({"--version"}), exit_ok);
  EXPECT_EQ(run_in_process({"calls", "--help"}), exit_ok);
  EXPECT_EQ(run_in_process({}), exit_usage);
  EXPECT_EQ(run_in_process({"calls"}), exit_usage);
  EXPECT_EQ(run_in_process({"calls", "demo", "--no-such-flag"}), exit_usage);
  EXPECT_EQ(run_in_process({"calls", "demo", "--server", "not a url"}), exit_usage);
}

TEST(CommandLine, AnUnreachableServerIsExitThree) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  EXPECT_EQ(run_in_process({"calls", "demo", "--server", "http://127.0.0.1:1", "--timeout", "5"}),
            exit_unreachable);
}

}  // namespace
}  // namespace vapidash::cli
