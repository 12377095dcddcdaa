#include "cli/client_options.hpp"

#include <cstdio>
#include <cstdlib>

#include "vapidash/error.hpp"

namespace vapidash::cli {

void add_client_options(CLI::App& app, ClientOptions& options) {
  app.add_option("--server", options.server, "Server URL for client commands")
      ->envname("VAPIDASH_SERVER")
      ->capture_default_str()
      ->group("Client options");
  app.add_option("--token", options.token,
                 "Dashboard or admin token for a guarded tenant (Authorization: Bearer)")
      ->envname("VAPIDASH_TOKEN")
      ->group("Client options");
  app.add_option("--timeout", options.timeout_seconds, "Seconds to wait for the server")
      ->check(CLI::Validator(
          [](const std::string& text) {
            double seconds = 0;
            return CLI::detail::lexical_cast(text, seconds) && seconds > 0 && seconds <= 86400
                       ? std::string()
                       : "must be a number of seconds above 0, at most 86400, got " + text;
          },
          "SECONDS"))
      ->capture_default_str()
      ->group("Client options");
  app.add_flag("--json", options.json, "Machine output: one JSON document (JSON lines for tail)")
      ->group("Client options");
  app.add_flag("-q,--quiet", options.quiet,
               "Print only ids on stdout (the calls or events listed or written, one per line) and only "
               "errors on stderr")
      ->group("Client options");
  app.add_flag("--no-color", options.no_color,
               "No colours (also when NO_COLOR is set or output is not a terminal)")
      ->group("Client options");
}

Endpoint server_endpoint(const ClientOptions& options) {
  return parse_server_url(options.server);
}

std::chrono::milliseconds request_timeout(const ClientOptions& options) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(options.timeout_seconds * 1000));
}

ApiClient make_api_client(const ClientOptions& options) {
  return ApiClient(server_endpoint(options), request_timeout(options),
                   options.token.empty() ? std::nullopt : std::optional<std::string>(options.token));
}

int run_client_command(const ClientOptions& options, const std::function<void()>& body) {
  int code = exit_ok;
  try {
    body();
  } catch (const server_error& e) {
    std::fprintf(stderr, "vapidash: %s\n", e.what());
    if (options.json) std::printf("%s\n", dump_json(e.body()).c_str());
    code = exit_refused;
  } catch (const connection_error& e) {
    std::fprintf(
        stderr,
        "vapidash: %s\n  is `vapidash serve` running there? Point --server or VAPIDASH_SERVER at it.\n",
        e.what());
    code = exit_unreachable;
  } catch (const invalid_input& e) {
    std::fprintf(stderr, "vapidash: %s\n", e.what());
    code = exit_usage;
  } catch (const error& e) {
    std::fprintf(stderr, "vapidash: %s\n", e.what());
    code = exit_refused;
  } catch (const json::exception& e) {
    std::fprintf(stderr, "vapidash: the server's answer is not what this vapidash expects (%s)\n", e.what());
    code = exit_refused;
  }
  std::fflush(stdout);
  return code;
}

std::chrono::milliseconds parse_duration(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const auto unit = text.substr(used);
  double scale = 0;
  if (unit.empty() || unit == "s") scale = 1000;
  if (unit == "ms") scale = 1;
  if (unit == "m") scale = 60'000;
  if (unit == "h") scale = 3'600'000;
  if (used == 0 || scale == 0 || value < 0) {
    throw invalid_input("invalid_argument",
                        "invalid duration \"" + text + "\": use e.g. 30s, 500ms, 2m or 1h");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(value * scale));
}

}  // namespace vapidash::cli
