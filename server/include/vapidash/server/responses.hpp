#pragma once

#include <string_view>

#include "vapidash/server/http_types.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::server {

Response json_response(http::status status, const json& body);
Response text_response(http::status status, std::string_view content_type, std::string body);

// A reply whose body `body` produces while it is sent (see Reply), with the headers of a whole one.
Reply streamed_response(http::status status, std::string_view content_type, BodySource body);

// The error body of docs/api.md with `status`.
Response error_response(http::status status, std::string_view code, std::string_view message);

}  // namespace vapidash::server
