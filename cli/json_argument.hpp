#pragma once

#include <string>

#include "vapidash/wire/json.hpp"

namespace vapidash::cli {

// A JSON command-line argument: inline JSON, or "@path" to read it from a file. Throws invalid_input.
json read_json_argument(const std::string& text, const char* what);

}  // namespace vapidash::cli
