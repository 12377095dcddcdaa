#pragma once

#include <string>

namespace vapidash::test {

// The whole file, byte for byte; throws when it cannot be read.
std::string read_text(const std::string& path);

}  // namespace vapidash::test
