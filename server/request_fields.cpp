#include "vapidash/server/request_fields.hpp"

namespace vapidash::server {

std::optional<std::string> header(const Request& request, std::string_view name) {
  const auto it = request.find(name);
  if (it == request.end()) return std::nullopt;
  return std::string(it->value());
}

std::optional<std::string> query_param(boost::urls::url_view url, std::string_view name) {
  const auto it = url.params().find(name);
  if (it == url.params().end()) return std::nullopt;
  return std::string((*it).value);
}

}  // namespace vapidash::server
