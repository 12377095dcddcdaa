#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vapidash/server/http_types.hpp"

namespace vapidash::server {

// Which browser origins may read the API and open the feed (`vapidash serve --cors-origins`).
struct CorsPolicy {
  enum class Mode { any, listed, off };
  Mode mode = Mode::any;
  std::vector<std::string> origins;  // Mode::listed: normalised "scheme://host[:port]"
};

// Reads --cors-origins: "*" (any origin, the default), "none" (no CORS), or a comma-separated list of origins
// such as "https://dash.example.com,http://localhost:5173". Throws invalid_input("invalid_cors_origins").
CorsPolicy parse_cors_origins(std::string_view text);

// The policy in words, for the start-up banner.
std::string describe(const CorsPolicy& policy);

// Answers browsers on other origins as the original server's CORS middleware did: any origin by default,
// preflights answered with the methods and headers the API uses (Authorization included), and, once the
// origins are listed, only those.
class Cors {
 public:
  explicit Cors(CorsPolicy policy = {});

  // `respond`, with the CORS headers `request` calls for added to whatever it is given; a preflight from an
  // origin that is not allowed is answered 403 origin_not_allowed instead.
  Respond decorating(const Request& request, Respond respond) const;

  // Whether a WebSocket upgrade may open the feed: with listed origins, only a client that sends no Origin
  // (not a browser), the server's own page, or a listed origin may.
  bool admits_upgrade(const Request& upgrade) const;

 private:
  bool allows(std::string_view origin, std::string_view host) const;

  CorsPolicy policy_;
};

// The 403 for an origin the policy refuses.
Response origin_refused(std::string_view origin);

}  // namespace vapidash::server
