#include "vapidash/client/http_client.hpp"

#include "vapidash/error.hpp"

namespace vapidash {

namespace {

bool is_idempotent(http::verb method) {
  switch (method) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::options:
    case http::verb::put:
    case http::verb::delete_:
      return true;
    default:
      return false;
  }
}

}  // namespace

HttpClient::HttpClient(ServerUrl server, std::chrono::milliseconds timeout, TlsOptions tls)
    : server_(std::move(server)), timeout_(timeout), tls_(std::move(tls)) {}

// Drives the pending asynchronous operation to completion; the stream's deadline bounds it.
void HttpClient::run(beast::error_code& ec, std::string_view what) {
  ioc_.restart();
  ioc_.run();
  if (ec) {
    connected_ = false;
    beast::error_code ignored;
    stream_->tcp().socket().close(ignored);
    const auto message = "cannot " + std::string(what) + " " + server_.url() + ": " + ec.message();
    if (ec == beast::error::timeout) throw timeout_error(message);
    throw connection_error(message);
  }
}

void HttpClient::connect() {
  connected_ = false;
  buffer_.clear();
  stream_.emplace(ioc_, server_, tls_);
  stream_->connect(timeout_);
  connected_ = true;
}

HttpResponse HttpClient::request(http::verb method, std::string_view target, std::string body,
                                 const HeaderList& headers) {
  http::request<http::string_body> req{method, server_.target(target), 11};
  req.set(http::field::host, server_.host_header());
  req.set(http::field::user_agent, "vapidash");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == http::verb::post) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
  }
  req.prepare_payload();
  req.keep_alive(true);

  // A kept-alive connection may have been closed by the server while idle. A request that is safe to repeat
  // is retried once on a fresh connection; any other is sent at most once, so a failure is reported and never
  // creates a call or delivers a webhook twice.
  if (connected_ && stream_->went_stale()) connected_ = false;
  if (connected_ && is_idempotent(method)) {
    try {
      return exchange(req);
    } catch (const connection_error&) {
    }
  } else if (connected_) {
    return exchange(req);
  }
  connect();
  return exchange(req);
}

HttpResponse HttpClient::exchange(const http::request<http::string_body>& request) {
  beast::error_code ec;
  stream_->tcp().expires_after(timeout_);
  http::async_write(*stream_, request, [&](beast::error_code e, std::size_t) { ec = e; });
  run(ec, "send to");
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  http::async_read(*stream_, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
  run(ec, "read a response from");
  auto response = parser.release();
  if (!response.keep_alive()) {
    connected_ = false;
    stream_->tcp().socket().close(ec);
  }
  return HttpResponse{response.result_int(), std::string(response[http::field::content_type]),
                      std::move(response.body())};
}

}  // namespace vapidash
