#include "support/reverse_proxy.hpp"

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "vapidash/net/net.hpp"

namespace vapidash::test {

using net::awaitable;
using net::use_awaitable;

// Not in an anonymous namespace: GCC 12 refuses coroutine frames whose members have internal linkage.
namespace reverse_proxy_detail {

// One client connection and its own connection to the backend, shared by the coroutines that serve it.
template <class ClientSide>
struct ProxySession {
  ProxySession(ClientSide client_side, const net::any_io_executor& executor)
      : client(std::move(client_side)), upstream(executor) {}
  void close() {
    beast::error_code ignored;
    client.lowest_layer().close(ignored);
    upstream.close(ignored);
  }

  ClientSide client;
  tcp::socket upstream;
  beast::flat_buffer from_client;
  beast::flat_buffer from_upstream;
};

// Copies bytes from `from` to `to` (first what `pending` already holds) until either side closes; then closes
// both.
template <class Session, class From, class To>
awaitable<void> pipe(std::shared_ptr<Session> session, From& from, beast::flat_buffer& pending, To& to) {
  try {
    co_await net::async_write(to, pending.data(), use_awaitable);
    pending.clear();
    std::array<char, 16384> chunk;
    for (;;) {
      const auto size = co_await from.async_read_some(net::buffer(chunk), use_awaitable);
      co_await net::async_write(to, net::buffer(chunk.data(), size), use_awaitable);
    }
  } catch (const std::exception&) {
    session->close();
  }
}

bool under_prefix(std::string_view target, const std::string& prefix) {
  if (target.substr(0, prefix.size()) != prefix) return false;
  return target.size() == prefix.size() || target[prefix.size()] == '/' || target[prefix.size()] == '?';
}

}  // namespace reverse_proxy_detail

struct ReverseProxy::Impl {
  explicit Impl(ReverseProxy& proxy) : owner(proxy), context(ssl::context::tls_server) {}

  template <class Session>
  awaitable<void> relay(std::shared_ptr<Session> session) {
    try {
      for (;;) {
        http::request<http::string_body> request;
        co_await http::async_read(session->client, session->from_client, request, use_awaitable);
        const std::string target(request.target());
        owner.record(owner.targets_, target);
        if (!reverse_proxy_detail::under_prefix(target, owner.options_.prefix)) {
          http::response<http::string_body> missing{http::status::not_found, request.version()};
          missing.set(http::field::content_type, "text/plain");
          missing.body() = "not under the proxy's prefix\n";
          missing.prepare_payload();
          co_await http::async_write(session->client, missing, use_awaitable);
          continue;
        }
        const auto rest = target.substr(owner.options_.prefix.size());
        request.target(rest.empty() || rest.front() == '?' ? "/" + rest : rest);
        if (!session->upstream.is_open()) {
          co_await session->upstream.async_connect(backend, use_awaitable);
        }
        co_await http::async_write(session->upstream, request, use_awaitable);
        http::response<http::string_body> response;
        co_await http::async_read(session->upstream, session->from_upstream, response, use_awaitable);
        co_await http::async_write(session->client, response, use_awaitable);
        if (response.result() == http::status::switching_protocols) {
          net::co_spawn(
              session->upstream.get_executor(),
              reverse_proxy_detail::pipe(session, session->upstream, session->from_upstream, session->client),
              net::detached);
          co_await reverse_proxy_detail::pipe(session, session->client, session->from_client,
                                              session->upstream);
          co_return;
        }
      }
    } catch (const std::exception&) {
      session->close();
    }
  }

  awaitable<void> serve(tcp::socket socket) {
    const auto executor = socket.get_executor();
    if (!owner.options_.certificate) {
      co_await relay(
          std::make_shared<reverse_proxy_detail::ProxySession<tcp::socket>>(std::move(socket), executor));
      co_return;
    }
    auto session = std::make_shared<reverse_proxy_detail::ProxySession<ssl::stream<tcp::socket>>>(
        ssl::stream<tcp::socket>(std::move(socket), context), executor);
    try {
      co_await session->client.async_handshake(ssl::stream_base::server, use_awaitable);
    } catch (const std::exception&) {
      ++owner.handshakes_refused_;
      co_return;
    }
    const char* name = SSL_get_servername(session->client.native_handle(), TLSEXT_NAMETYPE_host_name);
    owner.record(owner.server_names_, name ? name : "");
    co_await relay(session);
  }

  awaitable<void> accept() {
    for (;;) {
      auto socket = co_await acceptor.async_accept(use_awaitable);
      net::co_spawn(ioc, serve(std::move(socket)), net::detached);
    }
  }

  ReverseProxy& owner;
  ssl::context context;  // outlives the sessions, which the io_context destroys
  net::io_context ioc;
  tcp::acceptor acceptor{ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
  tcp::endpoint backend;
};

ReverseProxy::ReverseProxy(Options options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>(*this)) {
  impl_->backend = tcp::endpoint(net::ip::make_address(options_.backend.host), options_.backend.port);
  if (options_.certificate) {
    impl_->context.use_certificate_chain(net::buffer(options_.certificate->cert_pem));
    impl_->context.use_private_key(net::buffer(options_.certificate->key_pem), ssl::context::pem);
  }
  port_ = impl_->acceptor.local_endpoint().port();
  net::co_spawn(impl_->ioc, impl_->accept(), net::detached);
  thread_ = std::thread([this] { impl_->ioc.run(); });
}

ReverseProxy::~ReverseProxy() {
  impl_->ioc.stop();
  thread_.join();
}

std::string ReverseProxy::url(const std::string& host) const {
  return std::string(options_.certificate ? "https://" : "http://") + host + ":" + std::to_string(port_) +
         options_.prefix;
}

std::vector<std::string> ReverseProxy::targets() const {
  std::lock_guard lock(mutex_);
  return targets_;
}

std::vector<std::string> ReverseProxy::server_names() const {
  std::lock_guard lock(mutex_);
  return server_names_;
}

void ReverseProxy::record(std::vector<std::string>& list, std::string entry) {
  std::lock_guard lock(mutex_);
  list.push_back(std::move(entry));
}

}  // namespace vapidash::test
