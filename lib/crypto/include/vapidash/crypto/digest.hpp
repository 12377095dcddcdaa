#pragma once

#include <string>
#include <string_view>

namespace vapidash {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Lower-case hex HMAC-SHA256 of `message` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace vapidash
