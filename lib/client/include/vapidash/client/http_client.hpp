#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// A blocking HTTP/1.1 client on one keep-alive connection. Every operation has a deadline; a failure to
// connect, send or receive throws connection_error.
class HttpClient {
 public:
  explicit HttpClient(Endpoint endpoint, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  HttpResponse request(http::verb method, std::string_view target, std::string body = {},
                       const HeaderList& headers = {});
  HttpResponse get(std::string_view target, const HeaderList& headers = {}) {
    return request(http::verb::get, target, {}, headers);
  }
  HttpResponse post(std::string_view target, std::string body, const HeaderList& headers = {}) {
    return request(http::verb::post, target, std::move(body), headers);
  }

  const Endpoint& endpoint() const noexcept { return endpoint_; }

 private:
  void connect();
  HttpResponse exchange(const http::request<http::string_body>& request);
  void run(beast::error_code& ec, std::string_view what);

  Endpoint endpoint_;
  std::chrono::milliseconds timeout_;
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

}  // namespace vapidash
