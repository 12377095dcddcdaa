#include "cli/client_options.hpp"

#include <cstdio>
#include <cstdlib>

#include "vapidash/error.hpp"

namespace vapidash::cli {

void add_client_options(CLI::App& app, ClientOptions& options) {
  app.add_option("--server", options.server, "Server URL for client commands: http[s]://HOST[:PORT][/PREFIX]")
      ->envname("VAPIDASH_SERVER")
      ->capture_default_str()
      ->group("Client options");
  app.add_option("--cacert", options.cacert,
                 "Trust the CA certificates in this PEM file for https, instead of the system's")
      ->envname("VAPIDASH_CACERT")
      ->check(CLI::ExistingFile)
      ->group("Client options");
  app.add_flag("-k,--insecure", options.insecure,
               "Do not verify the https server's certificate or host name (warns; never in production)")
      ->envname("VAPIDASH_INSECURE")
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

ServerUrl server_url(const ClientOptions& options) {
  return parse_server_url(options.server);
}

TlsOptions tls_options(const ClientOptions& options) {
  return TlsOptions{!options.insecure, options.cacert};
}

std::chrono::milliseconds request_timeout(const ClientOptions& options) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(options.timeout_seconds * 1000));
}

ApiClient make_api_client(const ClientOptions& options) {
  return ApiClient(server_url(options), request_timeout(options),
                   options.token.empty() ? std::nullopt : std::optional<std::string>(options.token),
                   tls_options(options));
}

namespace {
void warn_if_insecure(const ClientOptions& options) {
  const auto server = server_url(options);
  if (!options.insecure || !server.tls) return;
  std::fprintf(
      stderr,
      "vapidash: warning: --insecure: the TLS certificate of %s is not verified; anyone between here "
      "and there can read and change this traffic\n",
      server.url().c_str());
}
}  // namespace

int run_client_command(const ClientOptions& options, const std::function<void()>& body) {
  int code = exit_ok;
  try {
    warn_if_insecure(options);
    body();
  } catch (const server_error& e) {
    std::fprintf(stderr, "vapidash: %s\n", e.what());
    if (options.json) std::printf("%s\n", dump_json(e.body()).c_str());
    code = exit_refused;
  } catch (const certificate_error& e) {
    std::fprintf(stderr, "vapidash: %s\n  %s\n", e.what(),
                 e.wrong_host()
                     ? "reach the server by a name its certificate was issued for, or pass --insecure to "
                       "skip the check"
                     : "if its CA is private, pass --cacert FILE (or VAPIDASH_CACERT) to trust it; "
                       "--insecure skips the check");
    code = exit_unreachable;
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

int run_client_command_with_code(const ClientOptions& options, const std::function<int()>& body) {
  int code = exit_ok;
  const int caught = run_client_command(options, [&] { code = body(); });
  return caught != exit_ok ? caught : code;
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
  if (unit == "d") scale = 86'400'000;
  if (used == 0 || scale == 0 || value < 0) {
    throw invalid_input("invalid_argument",
                        "invalid duration \"" + text + "\": use e.g. 30s, 500ms, 2m, 1h or 30d");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(value * scale));
}

}  // namespace vapidash::cli
