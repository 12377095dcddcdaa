#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <optional>

#include "vapidash/net/client_stream.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/net/net.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

struct HttpResponse {
  unsigned status = 0;
  std::string content_type;
  std::string body;

  json json_body() const { return parse_json(body); }
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A blocking HTTP/1.1 client on one keep-alive connection, over TLS for https. Targets are relative to the
// server URL's path prefix. Every operation has a deadline; a failure to connect, send or receive throws
// connection_error (certificate_error when the server's certificate is refused). Only requests that are safe
// to repeat (GET, HEAD, OPTIONS, PUT, DELETE) are retried, once, when a kept-alive connection turns out dead;
// a POST is sent at most once.
class HttpClient {
 public:
  explicit HttpClient(ServerUrl server, std::chrono::milliseconds timeout = std::chrono::seconds(10),
                      TlsOptions tls = {});

  HttpResponse request(http::verb method, std::string_view target, std::string body = {},
                       const HeaderList& headers = {});
  HttpResponse get(std::string_view target, const HeaderList& headers = {}) {
    return request(http::verb::get, target, {}, headers);
  }
  HttpResponse post(std::string_view target, std::string body, const HeaderList& headers = {}) {
    return request(http::verb::post, target, std::move(body), headers);
  }

  const ServerUrl& server() const noexcept { return server_; }

 private:
  void connect();
  HttpResponse exchange(const http::request<http::string_body>& request);
  void run(beast::error_code& ec, std::string_view what);

  ServerUrl server_;
  std::chrono::milliseconds timeout_;
  TlsOptions tls_;
  net::io_context ioc_;
  std::optional<ClientStream>
      stream_;  // a fresh one per connection: a TLS session does not outlive its socket
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

}  // namespace vapidash
