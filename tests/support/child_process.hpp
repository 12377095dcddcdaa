#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace vapidash::test {

// A program run as a child process, the one harness every test that starts a process uses. Its stdout and
// stderr are read on separate pipes, or as one stream in the order it wrote them (Output::merged), or with
// stdout on a pseudo-terminal, to see what a user at a terminal sees. The environment is the test's without
// NO_COLOR and VAPIDASH_*, plus `extra_env`, so a developer's settings never change what a test sees.
class ChildProcess {
 public:
  enum class Output { separate, merged, terminal };

  explicit ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_env = {},
                        Output mode = Output::separate);
  ~ChildProcess();  // SIGKILLs a child still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Reads until a complete line of stdout (stderr) contains `needle`, returning that line; throws on EOF or
  // after `timeout`. Each call continues after the line the previous call returned. With Output::merged,
  // stdout holds both streams.
  std::string wait_for_stdout_line(const std::string& needle, std::chrono::milliseconds timeout);
  std::string wait_for_stderr_line(const std::string& needle, std::chrono::milliseconds timeout);

  void signal(int signo);
  // Reads both streams to EOF and reaps the child: its exit code, or 128+signal. Throws after `timeout`.
  int wait(std::chrono::milliseconds timeout);

  const std::string& out() const { return out_.text; }
  const std::string& err() const { return err_.text; }
  int exit_code() const { return code_; }

 private:
  struct Stream {
    int fd = -1;
    std::string text;
    std::size_t scanned = 0;
    bool eof = false;
  };
  std::string wait_for_line(Stream& stream, const char* name, const std::string& needle,
                            std::chrono::milliseconds timeout);
  // Reads whatever either stream has within `timeout`; false when nothing arrived.
  bool pump(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  Stream out_;
  Stream err_;
  bool exited_ = false;
  int code_ = -1;
};

// Runs `argv` to completion (30 s at most) with stderr merged into stdout; returns {exit code, output}.
std::pair<int, std::string> run_command(std::vector<std::string> argv,
                                        std::vector<std::string> extra_env = {});

}  // namespace vapidash::test
