#pragma once

#include <string>

namespace vapidash::cli {

enum class LogFormat { text, json };

// Creates the named loggers ("server", "store") on stderr at `level` (spdlog level name).
void configure_logging(const std::string& level, LogFormat format);

}  // namespace vapidash::cli
