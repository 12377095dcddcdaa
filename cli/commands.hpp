#pragma once

#include <CLI/CLI.hpp>

#include "cli/client_options.hpp"

namespace vapidash::cli {

// One function per subcommand, each in its own file; `options` outlives the parse.
void register_call(CLI::App& app, const ClientOptions& options);
void register_event(CLI::App& app, const ClientOptions& options);
void register_webhook(CLI::App& app, const ClientOptions& options);
void register_calls(CLI::App& app, const ClientOptions& options);
void register_show(CLI::App& app, const ClientOptions& options);
void register_timeline(CLI::App& app, const ClientOptions& options);
void register_tail(CLI::App& app, const ClientOptions& options);
void register_commands(CLI::App& app);

}  // namespace vapidash::cli
