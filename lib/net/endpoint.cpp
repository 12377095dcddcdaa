#include "vapidash/net/endpoint.hpp"

#include <boost/url/parse.hpp>
#include <charconv>

#include "vapidash/error.hpp"

namespace vapidash {

namespace {

std::uint16_t parse_port(std::string_view text, const char* code, std::string_view whole) {
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || value > 65535) {
    throw invalid_input(code, "invalid port in \"" + std::string(whole) + "\": expected 0-65535");
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string Endpoint::url() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Endpoint parse_server_url(std::string_view url) {
  const std::string with_scheme =
      url.find("://") == std::string_view::npos ? "http://" + std::string(url) : std::string(url);
  const auto parsed = boost::urls::parse_absolute_uri(with_scheme);
  // A path, query or fragment here is a typo such as "http://host:80x": never guess a port from it.
  const bool bare = parsed && (parsed->path().empty() || parsed->path() == "/") && !parsed->has_query() &&
                    !parsed->has_fragment() && !parsed->has_userinfo();
  if (!bare || parsed->scheme() != "http" || parsed->host().empty()) {
    throw invalid_input("invalid_url",
                        "invalid server URL \"" + std::string(url) + "\": expected http://HOST:PORT");
  }
  Endpoint endpoint;
  endpoint.host = parsed->host_address();
  endpoint.port = parsed->has_port() ? parse_port(parsed->port(), "invalid_url", url) : 80;
  return endpoint;
}

Endpoint parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    throw invalid_input("invalid_listen", "invalid listen address \"" + std::string(text) +
                                              "\": expected HOST:PORT, e.g. 127.0.0.1:8000");
  }
  auto host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return Endpoint{std::string(host), parse_port(text.substr(colon + 1), "invalid_listen", text)};
}

}  // namespace vapidash
