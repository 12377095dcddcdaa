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
    HttpClient client(server, timeout_, tls_);
    // The control URL's own path is the server URL's prefix: the request goes to exactly that path.
    const auto* target = server.prefix.empty() ? "/" : "";
    return ControlAnswer{ControlAnswer::Kind::answered, client.post(target, std::move(body))};
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

void ControlForwarder::stop() {
  if (stopped_.exchange(true)) return;
  pool_.join();
}

}  // namespace vapidash::server
