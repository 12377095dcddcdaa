#include "server/router.hpp"

#include <boost/url/parse.hpp>

#include "error.hpp"
#include "model/identifier.hpp"
#include "server/log.hpp"
#include "server/responses.hpp"

namespace vapidash::server {

namespace {

// "/api/{client_id}/calls" → {"api", "{client_id}", "calls"}
std::vector<std::string> split_pattern(const std::string& pattern) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= pattern.size()) {
    const auto end = std::min(pattern.find('/', start), pattern.size());
    segments.push_back(pattern.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{';
}

// Matches `path` against a route's segments; on success returns the parameter values in order.
std::optional<std::vector<std::string>> match(const std::vector<std::string>& pattern,
                                              const std::vector<std::string>& path) {
  if (pattern.size() != path.size()) return std::nullopt;
  std::vector<std::string> params;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_param(pattern[i])) {
      params.push_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return std::nullopt;
    }
  }
  return params;
}

Response internal_error(std::string_view what) {
  log().error("request failed: {}", what);
  return error_response(http::status::internal_server_error, "internal_error",
                        "the server failed to handle the request; see its log");
}

std::optional<std::string> feed_client_id(boost::urls::url_view url) {
  const auto it = url.params().find("client_id");
  if (it == url.params().end()) return std::nullopt;
  const std::string client_id = (*it).value;
  require_identifier("client_id", client_id);
  return client_id;
}

}  // namespace

void Router::add(http::verb method, std::string pattern, Handler handler) {
  routes_.push_back(Route{method, split_pattern(pattern), std::move(handler)});
}

void Router::handle(const Request& request, Respond respond) const noexcept {
  try {
    dispatch(request, respond);
  } catch (const invalid_input& e) {
    respond(error_response(http::status::bad_request, e.code(), e.what()));
  } catch (const std::exception& e) {
    respond(internal_error(e.what()));
  }
}

void Router::dispatch(const Request& request, const Respond& respond) const {
  const auto url = boost::urls::parse_origin_form(request.target());
  if (!url) throw invalid_input("invalid_target", "the request target is not a valid path");
  std::vector<std::string> path;
  for (auto segment : url->segments()) path.push_back(segment);

  bool path_known = false;
  for (const auto& route : routes_) {
    auto params = match(route.segments, path);
    if (!params) continue;
    path_known = true;
    if (route.method != request.method()) continue;
    for (std::size_t i = 0, p = 0; i < route.segments.size(); ++i) {
      if (is_param(route.segments[i])) {
        const auto& segment = route.segments[i];
        require_identifier(segment.substr(1, segment.size() - 2), (*params)[p++]);
      }
    }
    route.handler(RouteContext{request, std::move(*params), *url}, respond);
    return;
  }
  if (path_known) {
    respond(error_response(http::status::method_not_allowed, "method_not_allowed",
                           std::string(request.method_string()) + " is not allowed on " + url->path()));
  } else {
    respond(error_response(http::status::not_found, "not_found",
                           "no route " + std::string(url->path()) + "; see API.md for the endpoints"));
  }
}

std::variant<FeedScope, Response> Router::admit_feed(const Request& request) const noexcept {
  try {
    const auto url = boost::urls::parse_origin_form(request.target());
    if (!url || url->path() != "/ws/dashboard") {
      return error_response(http::status::not_found, "not_found", "WebSocket feeds are at /ws/dashboard");
    }
    return FeedScope{feed_client_id(*url)};
  } catch (const invalid_input& e) {
    return error_response(http::status::bad_request, e.code(), e.what());
  } catch (const std::exception& e) {
    return internal_error(e.what());
  }
}

}  // namespace vapidash::server
