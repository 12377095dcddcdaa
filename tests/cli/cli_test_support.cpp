#include "cli_test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <regex>
#include <stdexcept>

#include "vapidash/client/http_client.hpp"

extern char** environ;

namespace vapidash::test::cli {

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

std::uint16_t bound_port(int fd) {
  sockaddr_in address{};
  socklen_t size = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    throw std::runtime_error("getsockname failed");
  }
  return ntohs(address.sin_port);
}

int bound_socket(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  const int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    throw std::runtime_error("cannot bind 127.0.0.1:" + std::to_string(port));
  }
  return fd;
}

}  // namespace

CliProcess::CliProcess(std::vector<std::string> args, std::vector<std::string> extra_env, Stdout mode) {
  args.insert(args.begin(), VAPIDASH_BINARY);
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  int out_write = -1;
  if (mode == Stdout::pipe) {
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

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  auto env = child_environment(extra_env);
  auto c_argv = c_strings(args);
  auto c_env = c_strings(env);
  const int rc = posix_spawn(&pid_, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_write);
  close(err_pipe[1]);
  if (rc != 0) {
    exited_ = true;
    throw std::runtime_error("cannot start " + args.at(0));
  }
}

CliProcess::~CliProcess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  close(out_.fd);
  close(err_.fd);
}

bool CliProcess::pump(std::chrono::milliseconds timeout) {
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

std::string CliProcess::wait_for_line(Stream& stream, const char* name, const std::string& needle,
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

std::string CliProcess::wait_for_stdout_line(const std::string& needle, std::chrono::milliseconds timeout) {
  return wait_for_line(out_, "stdout", needle, timeout);
}

std::string CliProcess::wait_for_stderr_line(const std::string& needle, std::chrono::milliseconds timeout) {
  return wait_for_line(err_, "stderr", needle, timeout);
}

void CliProcess::signal(int signo) {
  if (!exited_) kill(pid_, signo);
}

int CliProcess::wait(std::chrono::milliseconds timeout) {
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

CliResult run_vapidash(std::vector<std::string> args, std::vector<std::string> extra_env,
                       CliProcess::Stdout mode) {
  CliProcess child(std::move(args), std::move(extra_env), mode);
  child.wait(30s);
  return child.result();
}

CliResult run_against(const Endpoint& server, std::vector<std::string> args,
                      std::vector<std::string> extra_env) {
  args.insert(args.begin(), {"--server", server.url()});
  return run_vapidash(std::move(args), std::move(extra_env));
}

json stdout_json(const CliResult& result) {
  try {
    return json::parse(result.out);
  } catch (const json::exception& e) {
    ADD_FAILURE() << "stdout is not one JSON document (" << e.what() << ")\n" << result.all();
    return json();
  }
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string plain_text(const std::string& text) {
  static const std::regex colour("\033\\[[0-9;]*m");
  auto plain = std::regex_replace(text, colour, "");
  std::string out;
  for (std::size_t i = 0; i < plain.size(); ++i) {
    if (plain[i] == '\r' && i + 1 < plain.size() && plain[i + 1] == '\n') continue;
    out += plain[i];
  }
  return out;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (!condition()) {
    if (clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);  // the polling interval of a condition check, not a synchronisation
  }
  return true;
}

RefusingPort::RefusingPort() : fd_(bound_socket(0)), port_(bound_port(fd_)) {}

RefusingPort::~RefusingPort() {
  close(fd_);
}

SilentServer::SilentServer(std::uint16_t port) : fd_(bound_socket(port)), port_(bound_port(fd_)) {
  if (listen(fd_, 16) != 0) {
    close(fd_);
    throw std::runtime_error("listen failed");
  }
}

SilentServer::~SilentServer() {
  close(fd_);
}

CannedHttpServer::CannedHttpServer(unsigned status, std::string reason, std::string content_type,
                                   std::string body, std::uint16_t port)
    : fd_(bound_socket(port)), port_(bound_port(fd_)) {
  if (listen(fd_, 16) != 0) {
    close(fd_);
    throw std::runtime_error("listen failed");
  }
  response_ = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + content_type +
              "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  thread_ = std::thread([this] { serve(); });
}

CannedHttpServer::~CannedHttpServer() {
  stop_ = true;
  thread_.join();
  close(fd_);
}

std::vector<std::string> CannedHttpServer::request_lines() const {
  std::lock_guard lock(mutex_);
  return request_lines_;
}

void CannedHttpServer::serve() {
  while (!stop_) {
    pollfd listening{fd_, POLLIN, 0};
    if (poll(&listening, 1, 50) <= 0) continue;
    const int connection = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    // Reads the head and a Content-Length body (at most 5 s), then answers and closes.
    std::string request;
    const auto deadline = clock::now() + 5s;
    std::size_t wanted = std::string::npos;
    while (request.size() < wanted && clock::now() < deadline && !stop_) {
      pollfd readable{connection, POLLIN, 0};
      if (poll(&readable, 1, 50) <= 0) continue;
      char buffer[4096];
      const auto n = read(connection, buffer, sizeof buffer);
      if (n <= 0) break;
      request.append(buffer, static_cast<std::size_t>(n));
      const auto head_end = request.find("\r\n\r\n");
      if (head_end != std::string::npos && wanted == std::string::npos) {
        std::smatch length;
        const auto head = request.substr(0, head_end);
        const bool has_length =
            std::regex_search(head, length, std::regex("content-length: *([0-9]+)", std::regex::icase));
        wanted = head_end + 4 + (has_length ? std::stoul(length[1]) : 0);
      }
    }
    {
      std::lock_guard lock(mutex_);
      request_lines_.push_back(request.substr(0, request.find("\r\n")));
    }
    std::size_t sent = 0;
    while (sent < response_.size()) {
      const auto n = send(connection, response_.data() + sent, response_.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    shutdown(connection, SHUT_WR);
    close(connection);
  }
}

ServeProcess::ServeProcess(const std::string& db, std::uint16_t port)
    : child_({"serve", "--listen", "127.0.0.1:" + std::to_string(port), "--db", db, "--log-level", "warn"}) {
  const auto line = child_.wait_for_stdout_line("serving http://", 30s);
  std::smatch match;
  if (!std::regex_search(line, match, std::regex(R"(http://127\.0\.0\.1:(\d+))"))) {
    throw std::runtime_error("no port in: " + line);
  }
  endpoint_ = Endpoint{"127.0.0.1", static_cast<std::uint16_t>(std::stoi(match[1]))};
}

long dashboards_connected(const Endpoint& server) {
  try {
    HttpClient http(server, 2s);
    const auto metrics = http.get("/metrics").body;
    std::smatch match;
    if (std::regex_search(metrics, match, std::regex(R"(\nvapidash_dashboards_connected (\d+))"))) {
      return std::stol(match[1]);
    }
  } catch (const std::exception&) {
  }
  return -1;
}

}  // namespace vapidash::test::cli
