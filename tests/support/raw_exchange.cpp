#include "support/raw_exchange.hpp"

#include <chrono>
#include <stdexcept>

namespace vapidash::test {

RawConnection::RawConnection(const Endpoint& endpoint) : endpoint_(endpoint) {
  run("cannot connect to " + endpoint.host + ":" + std::to_string(endpoint.port),
      [this](beast::error_code& failure) {
        stream_.async_connect(tcp::endpoint(net::ip::make_address(endpoint_.host), endpoint_.port),
                              [&failure](beast::error_code ec) { failure = ec; });
      });
}

// Runs one operation to its end: `start` begins it and has it set the error it ends with.
template <class Start>
void RawConnection::run(const std::string& what, Start start) {
  beast::error_code failure;
  stream_.expires_after(std::chrono::seconds(10));
  start(failure);
  ioc_.restart();
  ioc_.run();
  if (failure) throw std::runtime_error(what + ": " + failure.message());
}

void RawConnection::send(RawRequest request) {
  if (request.count(http::field::host) == 0) {
    request.set(http::field::host, endpoint_.host + ":" + std::to_string(endpoint_.port));
  }
  request.prepare_payload();
  target_ = std::string(request.target());
  run("cannot send " + target_, [&](beast::error_code& failure) {
    http::async_write(stream_, request, [&failure](beast::error_code ec, std::size_t) { failure = ec; });
  });
}

// Read a piece at a time, each with its own deadline: a long streamed body may take longer than 10 s in all.
RawAnswer RawConnection::receive() {
  RawAnswer answer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  auto on_chunk = [&answer](std::uint64_t size, beast::string_view, beast::error_code&) {
    if (size > 0) answer.chunk_sizes.push_back(static_cast<std::size_t>(size));
  };
  parser.on_chunk_header(on_chunk);
  while (!parser.is_done()) {
    run("no answer to " + target_, [&](beast::error_code& failure) {
      http::async_read_some(stream_, buffer_, parser,
                            [&failure](beast::error_code ec, std::size_t) { failure = ec; });
    });
  }
  answer.response = parser.release();
  return answer;
}

RawResponse raw_exchange(const Endpoint& endpoint, RawRequest request) {
  RawConnection connection(endpoint);
  connection.send(std::move(request));
  return connection.receive().response;
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
