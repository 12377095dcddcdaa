#pragma once

#include <string>

#include "vapidash/net/endpoint.hpp"
#include "vapidash/net/net.hpp"

namespace vapidash::test {

using RawRequest = http::request<http::string_body>;
using RawResponse = http::response<http::string_body>;

// Sends `request` on a fresh connection and reads the whole answer, headers included (HttpClient keeps only
// the status, type and body). Sets Host when the request has none; throws when there is no answer in 10 s.
RawResponse raw_exchange(const Endpoint& endpoint, RawRequest request);

// A WebSocket upgrade request for `target`, as a browser sends it (without Origin).
RawRequest websocket_upgrade(const std::string& target);

}  // namespace vapidash::test
