#include "vapidash/server/router.hpp"

#include <boost/url/parse.hpp>
#include <memory>

#include "vapidash/error.hpp"
#include "vapidash/model/identifier.hpp"
#include "vapidash/server/log.hpp"
#include "vapidash/server/responses.hpp"

namespace vapidash::server {

namespace {

// "/api/{client_id}/calls" → {"api", "{client_id}", "calls"}; "/" → {} (as Boost.URL sees it).
std::vector<std::string> split_pattern(const std::string& pattern) {
  std::vector<std::string> segments;
  if (pattern == "/") return segments;
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

void check_params(const std::vector<std::string>& segments, const std::vector<std::string>& params) {
  std::size_t p = 0;
  for (const auto& segment : segments) {
    if (is_param(segment)) require_identifier(segment.substr(1, segment.size() - 2), params[p++]);
  }
}

Response internal_error(std::string_view what) {
  log().error("request failed: {}", what);
  return error_response(http::status::internal_server_error, "internal_error",
                        "the server failed to handle the request; see its log");
}

boost::urls::url_view parse_target(const Request& request) {
  const auto url = boost::urls::parse_origin_form(request.target());
  if (!url) throw invalid_input("invalid_target", "the request target is not a valid path");
  return *url;
}

// Maps the typed errors of lib/ and handlers to their responses: one place for every route and the feed.
template <class Body>
auto guarded(Body body) noexcept -> decltype(body()) {
  try {
    return body();
  } catch (const invalid_input& e) {
    return error_response(http::status::bad_request, e.code(), e.what());
  } catch (const access_denied& e) {
    return error_response(static_cast<http::status>(e.status()), e.code(), e.what());
  } catch (const std::exception& e) {
    return internal_error(e.what());
  }
}

}  // namespace

void Router::add(http::verb method, std::string pattern, Handler handler) {
  auto segments = split_pattern(pattern);
  routes_.push_back(Route{method, std::move(pattern), std::move(segments), std::move(handler)});
}

Respond Router::observed(Respond respond, std::shared_ptr<const std::string> route) const {
  if (!observer_) return respond;
  return [this, respond = std::move(respond), route = std::move(route)](Response response) {
    observer_(*route, response.result_int());
    respond(std::move(response));
  };
}

void Router::handle(const Request& request, Respond respond) const noexcept {
  auto route = std::make_shared<std::string>("unmatched");
  const auto reply = observed(std::move(respond), route);
  std::optional<Response> failure = guarded([&]() -> std::optional<Response> {
    dispatch(request, reply, *route);
    return std::nullopt;
  });
  if (failure) reply(std::move(*failure));
}

void Router::dispatch(const Request& request, const Respond& respond, std::string& route_name) const {
  const auto url = parse_target(request);
  std::vector<std::string> path;
  for (auto segment : url.segments()) path.push_back(segment);

  bool path_known = false;
  for (const auto& route : routes_) {
    auto params = match(route.segments, path);
    if (!params) continue;
    path_known = true;
    if (route.method != request.method()) continue;
    route_name = route.pattern;
    check_params(route.segments, *params);
    route.handler(RouteContext{request, std::move(*params), url}, respond);
    return;
  }
  if (path_known) {
    respond(error_response(
        http::status::method_not_allowed, "method_not_allowed",
        std::string(request.method_string()) + " is not allowed on " + std::string(url.path())));
  } else {
    respond(error_response(http::status::not_found, "not_found",
                           "no route " + std::string(url.path()) + "; see the README for the endpoints"));
  }
}

std::variant<FeedScope, Response> Router::admit_feed(const Request& request) const noexcept {
  return guarded([&]() -> std::variant<FeedScope, Response> {
    const auto url = parse_target(request);
    if (url.path() != "/ws/dashboard") {
      return error_response(http::status::not_found, "not_found", "WebSocket feeds are at /ws/dashboard");
    }
    return feed_gate_(request, url);
  });
}

}  // namespace vapidash::server
