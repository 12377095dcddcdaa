#pragma once

#include <string>

namespace vapidash::test {

// The project's VAPI fixtures (tests/data/vapi, described in its README.md): one example per message type,
// and real senders' quirks.
inline const std::string vapi_data_dir = VAPIDASH_TEST_DATA_DIR;
inline const std::string examples_dir = vapi_data_dir + "/examples";
inline const std::string real_dir = vapi_data_dir + "/real";

// The whole file, byte for byte; throws when it cannot be read.
std::string read_text(const std::string& path);

}  // namespace vapidash::test
