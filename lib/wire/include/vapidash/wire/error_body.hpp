#pragma once

#include <string_view>

#include "vapidash/wire/json.hpp"

namespace vapidash {

// docs/api.md's error body: {"ok": false, "error": {"code": "<slug>", "message": "<what to do>"}}.
json error_body(std::string_view code, std::string_view message);

}  // namespace vapidash
