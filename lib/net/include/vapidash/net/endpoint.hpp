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

// Reads "http://host:port[/]" (port defaults to 80) or "host:port". Throws invalid_input("invalid_url").
Endpoint parse_server_url(std::string_view url);

// Reads the "HOST:PORT" of --listen; "[::1]:8000" for IPv6. Throws invalid_input("invalid_listen").
Endpoint parse_listen_address(std::string_view text);

}  // namespace vapidash
