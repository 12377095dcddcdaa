#pragma once

#include <string>

#include "vapidash/net/endpoint.hpp"

namespace vapidash::test {

// The address in `vapidash serve`'s "vapidash serving http://HOST:PORT" line; throws when it has none.
Endpoint served_endpoint(const std::string& banner_line);

}  // namespace vapidash::test
