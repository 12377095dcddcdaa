#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "vapidash/client/api_client.hpp"
#include "vapidash/net/endpoint.hpp"

namespace vapidash::cli {

// Exit codes of every client subcommand (documented in --help and the README).
enum ExitCode : int { exit_ok = 0, exit_refused = 1, exit_usage = 2, exit_unreachable = 3 };

// Flags every client subcommand shares; defined on the root so they work before or after the subcommand.
struct ClientOptions {
  std::string server = default_server_url();
  std::string cacert;
  bool insecure = false;
  std::string token;
  double timeout_seconds = 10;
  bool json = false;
  bool quiet = false;
  bool no_color = false;
};

void add_client_options(CLI::App& app, ClientOptions& options);

ServerUrl server_url(const ClientOptions& options);
TlsOptions tls_options(const ClientOptions& options);
std::chrono::milliseconds request_timeout(const ClientOptions& options);
ApiClient make_api_client(const ClientOptions& options);

// Runs a subcommand body and turns what it throws into the documented exit code and a message on stderr:
// the server's error body (1), a usage problem (2), an unreachable server or a refused certificate (3).
// Warns first when --insecure turns certificate checks off.
int run_client_command(const ClientOptions& options, const std::function<void()>& body);

// The same, for a body that decides its own exit code when it throws nothing (a test run that failed: 1).
int run_client_command_with_code(const ClientOptions& options, const std::function<int()>& body);

// "30s", "2m", "500ms", "1h", "30d" or plain seconds. Throws invalid_input.
std::chrono::milliseconds parse_duration(const std::string& text);

}  // namespace vapidash::cli
