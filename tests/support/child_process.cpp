#include "support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

extern char** environ;

namespace vapidash::test {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    if (entry.rfind("NO_COLOR=", 0) == 0 || entry.rfind("VAPIDASH_", 0) == 0) continue;
    env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::chrono::milliseconds left_until(clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
}

// argv/envp for exec: pointers into `strings`, then a null. `strings` must outlive the result.
std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_env, Output mode) {
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  int out_write = -1;
  if (mode != Output::terminal) {
    int out_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    out_.fd = out_pipe[0];
    out_write = out_pipe[1];
  } else {
    out_.fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (out_.fd < 0 || grantpt(out_.fd) != 0 || unlockpt(out_.fd) != 0) {
      throw std::runtime_error("cannot open a pseudo-terminal");
    }
    out_write = open(ptsname(out_.fd), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (out_write < 0) throw std::runtime_error("cannot open the pseudo-terminal's slave");
  }
  err_.fd = err_pipe[0];
  err_.eof = mode == Output::merged;  // nothing but stdout's pipe carries stderr

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, mode == Output::merged ? out_write : err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  auto env = child_environment(extra_env);
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(env);
  const int rc = posix_spawn(&pid_, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_write);
  close(err_pipe[1]);
  if (rc != 0) {
    exited_ = true;
    throw std::runtime_error("cannot start " + argv.at(0));
  }
}

ChildProcess::~ChildProcess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  close(out_.fd);
  close(err_.fd);
}

bool ChildProcess::pump(std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{out_.eof ? -1 : out_.fd, POLLIN, 0}, {err_.eof ? -1 : err_.fd, POLLIN, 0}};
  if (out_.eof && err_.eof) return false;
  if (poll(fds, 2, static_cast<int>(std::max<std::int64_t>(timeout.count(), 0))) <= 0) return false;
  bool got = false;
  for (int i = 0; i < 2; ++i) {
    if (fds[i].fd < 0 || fds[i].revents == 0) continue;
    auto& stream = i == 0 ? out_ : err_;
    char buffer[4096];
    const auto n = read(stream.fd, buffer, sizeof buffer);
    if (n <= 0) {
      stream.eof = true;  // a pseudo-terminal reports EIO once the child closed it
      continue;
    }
    stream.text.append(buffer, static_cast<std::size_t>(n));
    got = true;
  }
  return got || !(out_.eof && err_.eof);
}

std::string ChildProcess::wait_for_line(Stream& stream, const char* name, const std::string& needle,
                                        std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    const auto found = stream.text.find(needle, stream.scanned);
    const auto line_end = found == std::string::npos ? std::string::npos : stream.text.find('\n', found);
    if (line_end != std::string::npos) {
      const auto line_start = stream.text.rfind('\n', found);
      const auto start = line_start == std::string::npos ? 0 : line_start + 1;
      stream.scanned = line_end + 1;
      return stream.text.substr(start, line_end - start);
    }
    if (stream.eof || left_until(deadline).count() <= 0) {
      throw std::runtime_error(std::string("no line with \"") + needle + "\" on the child's " + name +
                               "\n--- stdout\n" + out_.text + "--- stderr\n" + err_.text);
    }
    pump(std::min(left_until(deadline), std::chrono::milliseconds(100)));
  }
}

std::string ChildProcess::wait_for_stdout_line(const std::string& needle, std::chrono::milliseconds timeout) {
  return wait_for_line(out_, "stdout", needle, timeout);
}

std::string ChildProcess::wait_for_stderr_line(const std::string& needle, std::chrono::milliseconds timeout) {
  return wait_for_line(err_, "stderr", needle, timeout);
}

void ChildProcess::signal(int signo) {
  if (!exited_) kill(pid_, signo);
}

int ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (exited_) return code_;
  const auto deadline = clock::now() + timeout;
  while (!(out_.eof && err_.eof)) {
    if (left_until(deadline).count() <= 0) {
      throw std::runtime_error("the child did not exit in time\n--- stdout\n" + out_.text + "--- stderr\n" +
                               err_.text);
    }
    pump(left_until(deadline));
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  exited_ = true;
  code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return code_;
}

std::pair<int, std::string> run_command(std::vector<std::string> argv, std::vector<std::string> extra_env) {
  ChildProcess child(std::move(argv), std::move(extra_env), ChildProcess::Output::merged);
  const int code = child.wait(30s);
  return {code, child.out()};
}

}  // namespace vapidash::test
