#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace vapidash::test {

// A program run as a child process with its stdout and stderr captured through one pipe.
class ChildProcess {
 public:
  explicit ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_env = {});
  ~ChildProcess();  // SIGKILLs a child still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Reads output until a line contains `needle`, returning that line; throws on EOF or after `timeout`.
  std::string wait_for_line(const std::string& needle, std::chrono::milliseconds timeout);
  // Everything read so far.
  const std::string& output() const { return output_; }

  void signal(int signo);
  // Waits for exit (reading remaining output); returns the exit code, or 128+signal. Throws after `timeout`.
  int wait(std::chrono::milliseconds timeout);

 private:
  bool read_some(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string output_;
  std::size_t scanned_ = 0;
  bool exited_ = false;
  bool eof_ = false;
};

// argv/envp for exec: pointers into `strings`, then a null. `strings` must outlive the result.
std::vector<char*> c_strings(std::vector<std::string>& strings);

// Runs `argv` to completion; returns {exit code, output}.
std::pair<int, std::string> run_command(std::vector<std::string> argv,
                                        std::vector<std::string> extra_env = {});

}  // namespace vapidash::test
