#pragma once

#include <boost/url/url_view.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "vapidash/server/http_types.hpp"

namespace vapidash::server {

// A request header's value, if present.
std::optional<std::string> header(const Request& request, std::string_view name);

// A query parameter's decoded value, if present.
std::optional<std::string> query_param(boost::urls::url_view url, std::string_view name);

}  // namespace vapidash::server
