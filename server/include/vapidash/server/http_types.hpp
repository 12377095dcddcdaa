#pragma once

#include <functional>

#include "vapidash/net/net.hpp"

namespace vapidash::server {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Delivers a handler's response. May be called from any thread, exactly once.
using Respond = std::function<void(Response)>;

}  // namespace vapidash::server
