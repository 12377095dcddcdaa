#include "support/raw_exchange.hpp"

#include <chrono>
#include <stdexcept>

namespace vapidash::test {

RawResponse raw_exchange(const Endpoint& endpoint, RawRequest request) {
  if (request.count(http::field::host) == 0) {
    request.set(http::field::host, endpoint.host + ":" + std::to_string(endpoint.port));
  }
  request.prepare_payload();
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(10));
  beast::flat_buffer buffer;
  RawResponse response;
  beast::error_code failure;
  stream.async_connect(tcp::endpoint(net::ip::make_address(endpoint.host), endpoint.port),
                       [&](beast::error_code connected) {
                         if (connected) {
                           failure = connected;
                           return;
                         }
                         http::async_write(stream, request, [&](beast::error_code written, std::size_t) {
                           if (written) {
                             failure = written;
                             return;
                           }
                           http::async_read(stream, buffer, response,
                                            [&](beast::error_code read, std::size_t) { failure = read; });
                         });
                       });
  ioc.run();
  if (failure)
    throw std::runtime_error("no answer to " + std::string(request.target()) + ": " + failure.message());
  return response;
}

RawRequest websocket_upgrade(const std::string& target) {
  RawRequest request{http::verb::get, target, 11};
  request.set(http::field::connection, "Upgrade");
  request.set(http::field::upgrade, "websocket");
  request.set(http::field::sec_websocket_version, "13");
  request.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  return request;
}

}  // namespace vapidash::test
