#include "vapidash/server/control_forwarder.hpp"

#include "vapidash/error.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/server/log.hpp"

namespace vapidash::server {

ControlForwarder::ControlForwarder(TlsOptions tls, std::chrono::milliseconds timeout,
                                   std::size_t max_in_flight)
    : tls_(std::move(tls)), timeout_(timeout), max_in_flight_(max_in_flight) {}

ControlForwarder::~ControlForwarder() {
  stop();
}

bool ControlForwarder::forward(std::string url, std::string body, std::function<void(ControlAnswer)> done) {
  if (stopped_) return false;
  if (in_flight_.fetch_add(1) >= max_in_flight_) {
    --in_flight_;
    return false;
  }
  net::post(pool_, [this, url = std::move(url), body = std::move(body), done = std::move(done)]() mutable {
    auto answer = post(url, std::move(body));
    --in_flight_;
    done(std::move(answer));
  });
  return true;
}

// Errors name the host only: the control URL's path is the call's capability and stays out of logs.
ControlAnswer ControlForwarder::post(const std::string& url, std::string body) const {
  ServerUrl server;
  try {
    server = parse_server_url(url);
  } catch (const invalid_input&) {
    log().warn("control: the call's control URL is not an http(s) URL");
    return ControlAnswer{ControlAnswer::Kind::unreachable, {}};
  }
  try {
    return ControlAnswer{ControlAnswer::Kind::answered, exchange(server, std::move(body))};
  } catch (const timeout_error&) {
    log().warn("control: {} did not answer within {} ms", server.host, timeout_.count());
    return ControlAnswer{ControlAnswer::Kind::timed_out, {}};
  } catch (const certificate_error&) {
    log().warn("control: the TLS certificate of {} was refused", server.host);
    return ControlAnswer{ControlAnswer::Kind::certificate, {}};
  } catch (const error&) {
    log().warn("control: cannot reach {}", server.host);
    return ControlAnswer{ControlAnswer::Kind::unreachable, {}};
  }
}

namespace {
// Runs the pending operation on `ioc`; the stream's deadline bounds it.
void run(net::io_context& ioc, const beast::error_code& ec, const std::string& what) {
  ioc.restart();
  ioc.run();
  if (!ec) return;
  if (ec == beast::error::timeout) throw timeout_error("control URL: " + what + " timed out");
  throw connection_error("control URL: cannot " + what + ": " + ec.message());
}
}  // namespace

// One request on a fresh connection, so a control never waits behind another.
UpstreamResponse ControlForwarder::exchange(const ServerUrl& server, std::string body) const {
  net::io_context ioc;
  ClientStream stream(ioc, server, tls_);
  stream.connect(timeout_);
  // The control URL's own path is the server URL's prefix: the request goes to exactly that path.
  http::request<http::string_body> request{http::verb::post, server.prefix.empty() ? "/" : server.prefix, 11};
  request.set(http::field::host, server.host_header());
  request.set(http::field::user_agent, "vapidash");
  request.set(http::field::content_type, "application/json");
  request.body() = std::move(body);
  request.prepare_payload();
  beast::error_code ec;
  stream.tcp().expires_after(timeout_);
  http::async_write(stream, request, [&](beast::error_code e, std::size_t) { ec = e; });
  run(ioc, ec, "send");
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::async_read(stream, buffer, response, [&](beast::error_code e, std::size_t) { ec = e; });
  run(ioc, ec, "read the answer");
  return UpstreamResponse{response.result_int(), std::move(response.body())};
}

void ControlForwarder::stop() {
  if (stopped_.exchange(true)) return;
  pool_.join();
}

}  // namespace vapidash::server
