#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vapidash {

// Where a server listens, as clients reach it.
struct Endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;

  std::string url() const;  // "http://host:port"
};

// `vapidash serve` listens on the default Endpoint, so that is also where client commands look for it.
inline std::string default_listen_address() {
  const Endpoint fallback;
  return fallback.host + ":" + std::to_string(fallback.port);
}
inline std::string default_server_url() {
  return Endpoint{}.url();
}

// Where client commands reach a server: plain or TLS, host, port, and the path a reverse proxy serves it
// under.
struct ServerUrl {
  bool tls = false;  // https, and wss for the feed
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  std::string prefix;  // "" or "/a/b", no trailing slash: prepended to every request target

  ServerUrl() = default;
  ServerUrl(const Endpoint& endpoint)  // NOLINT(google-explicit-constructor): a local server is plain http
      : host(endpoint.host), port(endpoint.port) {}

  std::string url() const;          // "https://host:port/prefix"
  std::string host_header() const;  // "host", with ":port" unless it is the scheme's default
  std::string target(std::string_view path) const { return prefix + std::string(path); }
};

// Reads "http[s]://host[:port][/prefix][/]" (port defaults to 80 or 443) or "host:port". Throws
// invalid_input("invalid_url").
ServerUrl parse_server_url(std::string_view url);

// A WebSocket URL this program connects to as a client: "ws[s]://HOST[:PORT][/PATH][?QUERY]".
struct WebSocketUrl {
  ServerUrl server;    // tls for wss; never a prefix
  std::string target;  // the path and query as sent in the upgrade request; "/" for none
};

// Reads a ws:// or wss:// URL. Throws invalid_input("invalid_url") whose message never repeats the URL:
// a call's listen URL is a secret capability, so it must not reach logs or clients through an error.
WebSocketUrl parse_websocket_url(std::string_view url);

// Reads the "HOST:PORT" of --listen; "[::1]:8000" for IPv6. Throws invalid_input("invalid_listen").
Endpoint parse_listen_address(std::string_view text);

}  // namespace vapidash
