#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/client_options.hpp"

namespace vapidash::cli {

// The subcommand that parsing chose, bound to its options: run() calls it after the parse and returns its
// exit code, so a command never exits the process and runs in-process in a test.
using SelectedCommand = std::function<int()>;

// The SQLite file `serve` and `db` use when --db and VAPIDASH_DB are not given.
inline constexpr const char* default_database_path = "./vapidash.db";

// One function per subcommand, each in its own file; `options` and `selected` outlive the parse.
void register_serve(CLI::App& app, SelectedCommand& selected);
void register_call(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_event(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_webhook(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_calls(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_show(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_timeline(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_tail(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_control(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_listen(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_replay(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_load(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_simulate(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_db(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_scenario(CLI::App& app, const ClientOptions& options, SelectedCommand& selected);
void register_commands(CLI::App& app, SelectedCommand& selected);

// The whole command line: parses argv, runs the chosen subcommand, returns the process's exit code.
int run(int argc, const char* const* argv);

}  // namespace vapidash::cli
