#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"
#include "support/files.hpp"
#include "support/test_server.hpp"
#include "vapidash/client/http_client.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test::cli {

// The outcome of one `vapidash ...` run, with stdout and stderr kept apart.
struct CliResult {
  int code = -1;
  std::string out;
  std::string err;

  std::string all() const {
    return "--- exit " + std::to_string(code) + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
};

// A string matcher: the whole string matches the ECMAScript regex `pattern` (gtest's own MatchesRegex
// knows no character classes or repetition counts here).
MATCHER_P(FullyMatches, pattern, std::string(negation ? "does not match " : "matches ") + pattern) {
  return std::regex_match(std::string(arg), std::regex(pattern));
}

// The `vapidash` binary as a child process (the shared harness, with the binary prepended to `args`).
class CliProcess : public ChildProcess {
 public:
  explicit CliProcess(std::vector<std::string> args, std::vector<std::string> extra_env = {},
                      Output mode = Output::separate);

  CliResult result() const { return {exit_code(), out(), err()}; }
};

// Runs `vapidash ARGS...` to completion (30 s at most).
CliResult run_vapidash(std::vector<std::string> args, std::vector<std::string> extra_env = {},
                       ChildProcess::Output mode = ChildProcess::Output::separate);

// Runs `vapidash --server URL ARGS...` against `server`.
CliResult run_against(const Endpoint& server, std::vector<std::string> args,
                      std::vector<std::string> extra_env = {});

// stdout parsed as one JSON document; fails the test (with everything the command printed) when it is not.
json stdout_json(const CliResult& result);

// The lines of `text`, without their '\n'.
std::vector<std::string> lines_of(const std::string& text);

// Removes ANSI colour sequences and the '\r' a terminal adds before '\n'.
std::string plain_text(const std::string& text);

// Polls `condition` every few milliseconds until it holds; false when `timeout` passed first.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// A port on 127.0.0.1 where nothing listens: the socket is bound (so no one else gets the port while this
// lives) but never listens, so connecting is refused.
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  Endpoint endpoint() const { return {"127.0.0.1", port_}; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// A port on 127.0.0.1 that accepts connections (the kernel completes the handshake) but never answers.
class SilentServer {
 public:
  explicit SilentServer(std::uint16_t port = 0);  // throws when the port cannot be bound
  ~SilentServer();
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  Endpoint endpoint() const { return {"127.0.0.1", port_}; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// A stand-in HTTP server that answers every request with one canned response and records the request lines,
// to see what the client does with answers the real server never gives (a proxy's HTML error page, say).
class CannedHttpServer {
 public:
  CannedHttpServer(unsigned status, std::string reason, std::string content_type, std::string body,
                   std::uint16_t port = 0);
  ~CannedHttpServer();
  CannedHttpServer(const CannedHttpServer&) = delete;
  CannedHttpServer& operator=(const CannedHttpServer&) = delete;
  Endpoint endpoint() const { return {"127.0.0.1", port_}; }
  std::vector<std::string> request_lines() const;

 private:
  void serve();

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::string response_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> request_lines_;
  std::thread thread_;
};

// `vapidash serve` as a child process over `db`, on `port` (0: a free one, read from its banner), in the same
// clean environment as the client.
class ServeProcess {
 public:
  explicit ServeProcess(const std::string& db, std::uint16_t port = 0);
  const Endpoint& endpoint() const { return endpoint_; }
  CliProcess& process() { return child_; }

 private:
  CliProcess child_;
  Endpoint endpoint_;
};

// A real server in-process for each test, and `vapidash --server <its URL> ...` to run against it.
class CliTest : public ::testing::Test {
 protected:
  CliResult vapidash(std::vector<std::string> args, std::vector<std::string> extra_env = {}) {
    return run_against(server_.endpoint(), std::move(args), std::move(extra_env));
  }
  // GET `target` on the server, checked to answer 200 with JSON.
  json get_json(const std::string& target) {
    const auto response = http_.get(target);
    EXPECT_EQ(response.status, 200u) << target << ": " << response.body;
    return response.json_body();
  }
  json post_json(const std::string& target, const std::string& body) {
    const auto response = http_.post(target, body);
    EXPECT_EQ(response.status, 200u) << target << ": " << response.body;
    return response.json_body();
  }

  TestServer server_;
  HttpClient http_ = server_.client();
};

// The server's vapidash_dashboards_connected gauge, read from GET /metrics; -1 when it cannot be read.
long dashboards_connected(const Endpoint& server);

}  // namespace vapidash::test::cli
