#pragma once

#include <spdlog/spdlog.h>

namespace vapidash::server {

// The "server" logger that main configures; the default logger when none was (tests, embedding).
inline spdlog::logger& log() {
  static const auto logger = [] {
    auto named = spdlog::get("server");
    return named ? named : spdlog::default_logger();
  }();
  return *logger;
}

}  // namespace vapidash::server
