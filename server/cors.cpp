#include "vapidash/server/cors.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>
#include <optional>

#include "vapidash/error.hpp"
#include "vapidash/server/request_fields.hpp"
#include "vapidash/server/responses.hpp"

namespace vapidash::server {

namespace {

// Every request header the API reads; a browser must be allowed to send each of them.
constexpr const char* allowed_headers =
    "Authorization, Content-Type, X-Vapi-Secret, X-Signature, X-Timestamp";
// How long a browser may cache a preflight's answer (the original middleware's default).
constexpr const char* preflight_max_age = "600";

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trimmed(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// "scheme://host[:port]" in lowercase without a default port, as browsers send it in Origin; nullopt for
// anything else ("null", a path, a query).
std::optional<std::string> normalised_origin(std::string_view text) {
  const auto url = boost::urls::parse_absolute_uri(text);
  if (!url || !url->has_authority() || url->host().empty() || url->has_userinfo() || url->has_query() ||
      url->has_fragment() || !(url->path().empty() || url->path() == "/")) {
    return std::nullopt;
  }
  const auto scheme = lowercase(url->scheme());
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string origin = scheme + "://" + lowercase(url->encoded_host());
  const auto port = url->port();
  const bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  if (url->has_port() && !default_port) origin += ":" + std::string(port);
  return origin;
}

// The page vapidash serves itself: its origin's host and port are the request's Host.
bool is_same_origin(const std::string& origin, std::string_view host) {
  if (host.empty()) return false;
  for (const char* scheme : {"http://", "https://"}) {
    if (normalised_origin(scheme + std::string(host)) == origin) return true;
  }
  return false;
}

bool is_preflight(const Request& request) {
  return request.method() == http::verb::options && request.count(http::field::origin) > 0 &&
         request.count(http::field::access_control_request_method) > 0;
}

void add_preflight_headers(Response& response) {
  response.set(http::field::access_control_allow_methods, response[http::field::allow]);
  response.set(http::field::access_control_allow_headers, allowed_headers);
  response.set(http::field::access_control_max_age, preflight_max_age);
}

}  // namespace

CorsPolicy parse_cors_origins(std::string_view text) {
  const auto whole = trimmed(text);
  if (whole == "*") return CorsPolicy{};
  if (lowercase(whole) == "none") return CorsPolicy{CorsPolicy::Mode::off, {}};
  CorsPolicy policy{CorsPolicy::Mode::listed, {}};
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    const auto entry = trimmed(text.substr(start, end - start));
    start = end + 1;
    auto origin = normalised_origin(entry);
    if (!origin) {
      throw invalid_input(
          "invalid_cors_origins",
          "invalid --cors-origins entry \"" + std::string(entry) +
              "\": expected an origin like https://dash.example.com or http://localhost:5173, "
              "a comma-separated list of them, \"*\" for any origin, or \"none\"");
    }
    policy.origins.push_back(std::move(*origin));
  }
  return policy;
}

std::string describe(const CorsPolicy& policy) {
  switch (policy.mode) {
    case CorsPolicy::Mode::any:
      return "any origin";
    case CorsPolicy::Mode::off:
      return "off (no cross-origin browser access)";
    case CorsPolicy::Mode::listed:
      break;
  }
  std::string list;
  for (const auto& origin : policy.origins) list += (list.empty() ? "" : ", ") + origin;
  return list;
}

Response origin_refused(std::string_view origin) {
  return error_response(http::status::forbidden, "origin_not_allowed",
                        "the origin " + std::string(origin) +
                            " may not use this server: add it to vapidash serve --cors-origins");
}

Cors::Cors(CorsPolicy policy) : policy_(std::move(policy)) {}

bool Cors::allows(std::string_view origin, std::string_view host) const {
  if (policy_.mode == CorsPolicy::Mode::any) return true;
  const auto normal = normalised_origin(origin);
  if (!normal) return false;
  if (is_same_origin(*normal, host)) return true;
  return std::find(policy_.origins.begin(), policy_.origins.end(), *normal) != policy_.origins.end();
}

// With any origin allowed every answer carries "*", so a cache never hands a browser an answer without it.
// With listed origins the answer depends on Origin, and says so in Vary.
Respond Cors::decorating(const Request& request, Respond respond) const {
  if (policy_.mode == CorsPolicy::Mode::off) return respond;
  const auto origin = header(request, "origin");
  const bool preflight = is_preflight(request);
  const bool allowed = origin && allows(*origin, request[http::field::host]);
  const bool listed = policy_.mode == CorsPolicy::Mode::listed;
  return [respond = std::move(respond), origin, preflight, allowed, listed](Reply reply) {
    if (preflight && !allowed) reply = origin_refused(*origin);
    auto& response = reply.response;
    if (listed) response.set(http::field::vary, "Origin");
    if (listed && allowed) response.set(http::field::access_control_allow_origin, *origin);
    if (!listed) response.set(http::field::access_control_allow_origin, "*");
    if (preflight && allowed && response.result() == http::status::no_content)
      add_preflight_headers(response);
    respond(std::move(reply));
  };
}

bool Cors::admits_upgrade(const Request& upgrade) const {
  if (policy_.mode != CorsPolicy::Mode::listed) return true;
  const auto origin = header(upgrade, "origin");
  return !origin || allows(*origin, upgrade[http::field::host]);
}

}  // namespace vapidash::server
