#include "cli_test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <regex>
#include <stdexcept>

#include "vapidash/client/http_client.hpp"

namespace vapidash::test::cli {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

namespace {

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

namespace {
std::vector<std::string> with_binary(std::vector<std::string> args) {
  args.insert(args.begin(), VAPIDASH_BINARY);
  return args;
}
}  // namespace

CliProcess::CliProcess(std::vector<std::string> args, std::vector<std::string> extra_env, Output mode)
    : ChildProcess(with_binary(std::move(args)), std::move(extra_env), mode) {}

CliResult run_vapidash(std::vector<std::string> args, std::vector<std::string> extra_env,
                       ChildProcess::Output mode) {
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
