#pragma once

#include <boost/url/url_view.hpp>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "vapidash/server/http_types.hpp"

namespace vapidash::server {

// What a matched route hands its handler: the request, its decoded path parameters (already checked to be
// valid identifiers) and its parsed URL for the query string.
struct RouteContext {
  const Request& request;
  std::vector<std::string> params;
  boost::urls::url_view url;
};

using Handler = std::function<void(const RouteContext&, Respond)>;

// The tenant a dashboard feed subscribes to; nullopt is every tenant.
struct FeedScope {
  std::optional<std::string> client_id;
};

// Decides whether a WebSocket upgrade of /ws/dashboard may proceed; throws invalid_input or access_denied.
using FeedGate = std::function<FeedScope(const Request&, boost::urls::url_view)>;

// Observes every response: the route pattern that answered ("unmatched" for none) and the status code.
using ResponseObserver = std::function<void(const std::string& route, unsigned status)>;

// Maps method + path to handlers; the one place where a handler's exception becomes an error response.
class Router {
 public:
  // `pattern` is a path like "/api/{client_id}/calls"; every {param} must be a valid identifier.
  void add(http::verb method, std::string pattern, Handler handler);
  void set_feed_gate(FeedGate gate) { feed_gate_ = std::move(gate); }
  void set_observer(ResponseObserver observer) { observer_ = std::move(observer); }

  // Dispatches `request`; `respond` is called exactly once, possibly later and from another thread.
  void handle(const Request& request, Respond respond) const noexcept;

  // Admission for a WebSocket upgrade: its scope, or the error response to send instead.
  std::variant<FeedScope, Response> admit_feed(const Request& request) const noexcept;

 private:
  struct Route {
    http::verb method;
    std::string pattern;
    std::vector<std::string> segments;  // literals, or "{name}" for a parameter
    Handler handler;
  };
  void dispatch(const Request& request, const Respond& respond, std::string& route_name) const;
  Respond observed(Respond respond, std::shared_ptr<const std::string> route) const;

  std::vector<Route> routes_;
  FeedGate feed_gate_;
  ResponseObserver observer_;
};

}  // namespace vapidash::server
