#pragma once

#include <boost/url/url_view.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vapidash/server/cors.hpp"
#include "vapidash/server/feed_scope.hpp"
#include "vapidash/server/http_types.hpp"
#include "vapidash/server/listen_relays.hpp"
#include "vapidash/server/request_log.hpp"

namespace vapidash::server {

// One decoded path parameter; `name` views the router's pattern, which outlives every request.
struct PathParam {
  std::string_view name;
  std::string value;
};

// What a matched route hands its handler: the request, its parsed URL for the query string, its path
// parameters by the names of the route's pattern (already checked to be valid identifiers), and the notes
// the handler leaves for the request's log line.
class RouteContext {
 public:
  RouteContext(const Request& req, boost::urls::url_view parsed, std::vector<PathParam> params,
               std::shared_ptr<RequestNotes> request_notes);

  // The value of the pattern's "{name}"; throws std::logic_error when the pattern has no such parameter.
  const std::string& param(std::string_view name) const;

  const Request& request;
  const boost::urls::url_view url;
  const std::shared_ptr<RequestNotes> notes;  // never null; handlers that answer later keep a copy

 private:
  std::vector<PathParam> params_;
};

using Handler = std::function<void(const RouteContext&, Respond)>;

// Decides whether a WebSocket upgrade of a feed route may proceed; throws invalid_input or access_denied.
using FeedGate = std::function<FeedScope(const RouteContext&)>;

// Decides whether a WebSocket upgrade of a listen route may proceed and what it relays; throws like a
// FeedGate.
using ListenGate = std::function<ListenScope(const RouteContext&)>;

// What an upgrade leads to: a dashboard feed, a call-audio relay, or the error response sent instead.
using Admission = std::variant<FeedScope, ListenScope, Response>;

// Observes every response: the route pattern that answered ("unmatched" for none) and the status code.
using ResponseObserver = std::function<void(const std::string& route, unsigned status)>;

// Maps method + path to handlers, and upgrade paths to feeds; the one place where a handler's or a gate's
// exception becomes an error response.
class Router {
 public:
  // `pattern` is a path like "/api/{client_id}/calls"; every {param} must be a valid identifier.
  void add(http::verb method, std::string pattern, Handler handler);
  // A WebSocket feed at `pattern`: `gate` admits upgrades; a plain GET is answered 426 (upgrade required).
  void add_feed(std::string pattern, FeedGate gate);
  // A call-audio relay at `pattern`, admitted by `gate`; a plain GET is answered 426 as for a feed.
  void add_listen(std::string pattern, ListenGate gate);
  void set_observer(ResponseObserver observer) { observer_ = std::move(observer); }
  void set_cors(CorsPolicy policy) { cors_ = Cors(std::move(policy)); }

  // Dispatches `request`; `respond` is called exactly once, possibly later and from another thread. OPTIONS
  // of a known path is answered 204 with its methods in Allow (a CORS preflight's answer).
  void handle(const Request& request, Respond respond,
              std::shared_ptr<RequestNotes> notes = std::make_shared<RequestNotes>()) const noexcept;

  // Admission for a WebSocket upgrade: what the upgrade's route admitted, or the error response to send.
  Admission admit(const Request& upgrade) const noexcept;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool is_param;
  };
  using Target = std::variant<Handler, FeedGate, ListenGate>;
  struct Route {
    http::verb method;
    std::string pattern;
    std::vector<Segment> segments;
    Target target;
  };
  struct Match {
    const Route* route = nullptr;     // the route for this method and path; null when none
    std::vector<http::verb> methods;  // of every route with this path; none when the path is unknown
    std::vector<PathParam> params;
  };

  void add_route(http::verb method, std::string pattern, Target target);
  void dispatch(const Request& request, const Respond& respond, std::string& route_name,
                std::shared_ptr<RequestNotes> notes) const;
  Match find(http::verb method, const std::vector<std::string>& path) const;
  static std::optional<std::vector<PathParam>> match_path(const std::vector<Segment>& pattern,
                                                          const std::vector<std::string>& path);
  Response feeds_elsewhere() const;
  static std::string allow_header(const std::vector<http::verb>& methods);
  Respond observed(Respond respond, std::shared_ptr<const std::string> route) const;

  std::vector<Route> routes_;
  ResponseObserver observer_;
  Cors cors_;
};

}  // namespace vapidash::server
