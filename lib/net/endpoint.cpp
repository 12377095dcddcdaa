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

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

bool rooted(std::string_view path) {
  return path.empty() || path.front() == '/';
}

// "/a/b/" → "/a/b"; "/" → "".
std::string without_trailing_slashes(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return std::string(path);
}

}  // namespace

std::string Endpoint::url() const {
  return "http://" + bracketed(host) + ":" + std::to_string(port);
}

std::string ServerUrl::url() const {
  return (tls ? "https://" : "http://") + bracketed(host) + ":" + std::to_string(port) + prefix;
}

std::string ServerUrl::host_header() const {
  const bool default_port = port == (tls ? 443 : 80);
  return default_port ? bracketed(host) : bracketed(host) + ":" + std::to_string(port);
}

ServerUrl parse_server_url(std::string_view url) {
  const std::string with_scheme =
      url.find("://") == std::string_view::npos ? "http://" + std::string(url) : std::string(url);
  const auto parsed = boost::urls::parse_absolute_uri(with_scheme);
  const auto scheme = parsed ? parsed->scheme_id() : boost::urls::scheme::none;
  // A query or fragment is a pasted page address, and a path glued to the port ("host:80x") a typo: never
  // guess which part of it was meant.
  const bool usable = parsed &&
                      (scheme == boost::urls::scheme::http || scheme == boost::urls::scheme::https) &&
                      !parsed->host().empty() && !parsed->has_query() && !parsed->has_fragment() &&
                      !parsed->has_userinfo() && rooted(parsed->encoded_path());
  if (!usable) {
    throw invalid_input("invalid_url", "invalid server URL \"" + std::string(url) +
                                           "\": expected http[s]://HOST[:PORT][/PREFIX]");
  }
  ServerUrl server;
  server.tls = scheme == boost::urls::scheme::https;
  server.host = parsed->host_address();
  server.port = parsed->has_port() ? parse_port(parsed->port(), "invalid_url", url) : (server.tls ? 443 : 80);
  server.prefix = without_trailing_slashes(parsed->encoded_path());
  return server;
}

WebSocketUrl parse_websocket_url(std::string_view url) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  const auto scheme = parsed ? parsed->scheme_id() : boost::urls::scheme::none;
  const bool usable = parsed && (scheme == boost::urls::scheme::ws || scheme == boost::urls::scheme::wss) &&
                      !parsed->host().empty() && !parsed->has_userinfo() && rooted(parsed->encoded_path());
  if (!usable) throw invalid_input("invalid_url", "not a ws:// or wss:// URL with a host");
  WebSocketUrl websocket;
  websocket.server.tls = scheme == boost::urls::scheme::wss;
  websocket.server.host = parsed->host_address();
  websocket.server.port = websocket.server.tls ? 443 : 80;
  if (parsed->has_port()) {
    const auto port = parsed->port();
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc{} || ptr != port.data() + port.size() || value > 65535 || value == 0)
      throw invalid_input("invalid_url", "the WebSocket URL's port is not 1-65535");
    websocket.server.port = static_cast<std::uint16_t>(value);
  }
  websocket.target = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  if (parsed->has_query()) websocket.target += "?" + std::string(parsed->encoded_query());
  return websocket;
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
