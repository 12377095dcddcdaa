#include "vapidash/server/router.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <memory>
#include <stdexcept>
#include <utility>

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

std::vector<std::string> path_of(boost::urls::url_view url) {
  std::vector<std::string> path;
  for (auto segment : url.segments()) path.push_back(segment);
  return path;
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

// Maps the typed errors of lib/ and handlers to their responses: one place for every route and feed.
template <class Body>
auto guarded(Body body) noexcept -> decltype(body()) {
  try {
    return body();
  } catch (const invalid_input& e) {
    return error_response(http::status::bad_request, e.code(), e.what());
  } catch (const access_denied& e) {
    return error_response(static_cast<http::status>(e.status()), e.code(), e.what());
  } catch (const store_unavailable& e) {
    return error_response(http::status::service_unavailable, "store_unavailable",
                          std::string(e.what()) + "; retry later");
  } catch (const std::exception& e) {
    return internal_error(e.what());
  }
}

void check_identifiers(const std::vector<PathParam>& params) {
  for (const auto& param : params) require_identifier(param.name, param.value);
}

// `reply` with its body's first chunk already read; its source hands that chunk out first.
Reply with_first_chunk_read(Reply reply) {
  std::string first;
  reply.source(first);
  reply.source = [first = std::move(first), rest = std::move(reply.source),
                  taken = false](std::string& chunk) mutable {
    if (std::exchange(taken, true)) return rest(chunk);
    chunk = std::move(first);
  };
  return reply;
}

// A streamed reply's first chunk is read before its header goes out, so a body that cannot start (the store
// failing on the first page) is answered as the error it is, like any handler's, and never as a 200.
Respond starting_streams(Respond respond) {
  return [respond = std::move(respond)](Reply reply) {
    if (reply.streamed()) reply = guarded([&]() -> Reply { return with_first_chunk_read(std::move(reply)); });
    respond(std::move(reply));
  };
}

}  // namespace

RouteContext::RouteContext(const Request& req, boost::urls::url_view parsed, std::vector<PathParam> params,
                           std::shared_ptr<RequestNotes> request_notes)
    : request(req), url(parsed), notes(std::move(request_notes)), params_(std::move(params)) {}

const std::string& RouteContext::param(std::string_view name) const {
  for (const auto& param : params_) {
    if (param.name == name) return param.value;
  }
  throw std::logic_error("the route has no path parameter {" + std::string(name) + "}");
}

void Router::add(http::verb method, std::string pattern, Handler handler) {
  add_route(method, std::move(pattern), std::move(handler));
}

// An upgrade is a GET (RFC 6455), so the feed's route is a GET route: a plain GET of it is answered 426.
void Router::add_feed(std::string pattern, FeedGate gate) {
  add_route(http::verb::get, std::move(pattern), std::move(gate));
}

void Router::add_listen(std::string pattern, ListenGate gate) {
  add_route(http::verb::get, std::move(pattern), std::move(gate));
}

void Router::add_route(http::verb method, std::string pattern, Target target) {
  std::vector<Segment> segments;
  for (auto& text : split_pattern(pattern)) {
    const bool param = is_param(text);
    segments.push_back(Segment{param ? text.substr(1, text.size() - 2) : std::move(text), param});
  }
  routes_.push_back(Route{method, std::move(pattern), std::move(segments), std::move(target)});
}

Respond Router::observed(Respond respond, std::shared_ptr<const std::string> route) const {
  if (!observer_) return respond;
  return [this, respond = std::move(respond), route = std::move(route)](Reply reply) {
    observer_(*route, reply.response.result_int());
    respond(std::move(reply));
  };
}

void Router::handle(const Request& request, Respond respond,
                    std::shared_ptr<RequestNotes> notes) const noexcept {
  auto route = std::make_shared<std::string>("unmatched");
  const auto reply = starting_streams(cors_.decorating(request, observed(std::move(respond), route)));
  std::optional<Response> failure = guarded([&]() -> std::optional<Response> {
    dispatch(request, reply, *route, std::move(notes));
    return std::nullopt;
  });
  if (failure) reply(std::move(*failure));
}

void Router::dispatch(const Request& request, const Respond& respond, std::string& route_name,
                      std::shared_ptr<RequestNotes> notes) const {
  const auto url = parse_target(request);
  auto match = find(request.method(), path_of(url));
  if (match.methods.empty()) {
    return respond(
        error_response(http::status::not_found, "not_found",
                       "no route " + std::string(url.path()) + "; see the README for the endpoints"));
  }
  if (request.method() == http::verb::options) {
    Response options{http::status::no_content, 11};
    options.set(http::field::server, "vapidash");
    options.set(http::field::allow, allow_header(match.methods));
    return respond(std::move(options));
  }
  if (match.route == nullptr) {
    auto refusal = error_response(
        http::status::method_not_allowed, "method_not_allowed",
        std::string(request.method_string()) + " is not allowed on " + std::string(url.path()));
    refusal.set(http::field::allow, allow_header(match.methods));
    return respond(std::move(refusal));
  }
  route_name = match.route->pattern;
  check_identifiers(match.params);
  const auto* handler = std::get_if<Handler>(&match.route->target);
  if (handler == nullptr) {
    return respond(error_response(http::status::upgrade_required, "upgrade_required",
                                  route_name + " is a WebSocket feed: connect with a WebSocket client"));
  }
  (*handler)(RouteContext{request, url, std::move(match.params), std::move(notes)}, respond);
}

Admission Router::admit(const Request& upgrade) const noexcept {
  return guarded([&]() -> Admission {
    const auto url = parse_target(upgrade);
    auto match = find(upgrade.method(), path_of(url));
    if (match.route == nullptr || std::holds_alternative<Handler>(match.route->target))
      return feeds_elsewhere();
    if (!cors_.admits_upgrade(upgrade)) return origin_refused(upgrade[http::field::origin]);
    check_identifiers(match.params);
    const RouteContext context{upgrade, url, std::move(match.params), std::make_shared<RequestNotes>()};
    if (const auto* feed = std::get_if<FeedGate>(&match.route->target)) return (*feed)(context);
    return std::get<ListenGate>(match.route->target)(context);
  });
}

// The first route for `method` whose segments match `path`, and the methods of every route that does.
Router::Match Router::find(http::verb method, const std::vector<std::string>& path) const {
  Match match;
  for (const auto& route : routes_) {
    auto params = match_path(route.segments, path);
    if (!params) continue;
    match.methods.push_back(route.method);
    if (route.method != method || match.route != nullptr) continue;
    match.route = &route;
    match.params = std::move(*params);
  }
  return match;
}

// "GET, POST, OPTIONS": the methods a path takes, for Allow and a preflight's answer.
std::string Router::allow_header(const std::vector<http::verb>& methods) {
  std::string allow;
  for (auto it = methods.begin(); it != methods.end(); ++it) {
    if (std::find(methods.begin(), it, *it) == it) allow += std::string(http::to_string(*it)) + ", ";
  }
  return allow + "OPTIONS";
}

// On a match, the path's parameters named after the pattern's.
std::optional<std::vector<PathParam>> Router::match_path(const std::vector<Segment>& pattern,
                                                         const std::vector<std::string>& path) {
  if (pattern.size() != path.size()) return std::nullopt;
  std::vector<PathParam> params;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i].is_param) {
      params.push_back(PathParam{pattern[i].text, path[i]});
    } else if (pattern[i].text != path[i]) {
      return std::nullopt;
    }
  }
  return params;
}

// An upgrade of a path that is not a feed.
Response Router::feeds_elsewhere() const {
  std::string feeds;
  for (const auto& route : routes_) {
    if (std::holds_alternative<Handler>(route.target)) continue;
    feeds += (feeds.empty() ? "" : ", ") + route.pattern;
  }
  return error_response(http::status::not_found, "not_found", "WebSocket feeds are at " + feeds);
}

}  // namespace vapidash::server
