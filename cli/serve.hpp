#pragma once

#include <CLI/CLI.hpp>

namespace vapidash::cli {

void register_serve(CLI::App& app);

}  // namespace vapidash::cli
