#pragma once

#include <string_view>

namespace vapidash::server {

// The live dashboard page served at GET / (web/index.html, compiled in: one binary, no asset files).
std::string_view dashboard_page();

}  // namespace vapidash::server
