#pragma once

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>

#include "vapidash/net/endpoint.hpp"
#include "vapidash/net/net.hpp"

namespace vapidash {

// Whether an idle connection can no longer carry a request: the server closed it, or sent something unasked
// (on TLS, its close_notify). Looks without reading or waiting.
bool went_stale(tcp::socket& socket);

// How a client trusts the server's certificate on https and wss.
struct TlsOptions {
  bool verify = true;  // false accepts any certificate for any host (--insecure)
  // PEM certificates to trust instead of the system's store (--cacert); empty: the system's store
  std::string ca_file;
};

// The TLS settings of client connections, made once and shared by the streams that use them. Throws
// invalid_input("invalid_cacert") when tls.ca_file cannot be loaded, connection_error when the system's CAs
// cannot.
std::shared_ptr<ssl::context> client_tls_context(const TlsOptions& tls);

// A client's connection to the server at a ServerUrl: TCP, or TLS over TCP for https. It is an AsyncStream,
// so Beast's HTTP and WebSocket code runs on either unchanged.
class ClientStream {
 public:
  using executor_type = beast::tcp_stream::executor_type;
  // Called once when async_connect() ends: null when connected, else what connect() would have thrown.
  using ConnectHandler = std::function<void(std::exception_ptr failure)>;

  // For connect(), which runs `ioc`. Throws invalid_input("invalid_cacert") when tls.ca_file cannot be
  // loaded.
  ClientStream(net::io_context& ioc, ServerUrl server, const TlsOptions& tls);
  // For async_connect() on `executor` (a server connection's strand, say); `tls_context` is needed for
  // https and wss and decides whether certificates are verified.
  ClientStream(executor_type executor, ServerUrl server, std::shared_ptr<ssl::context> tls_context);
  ClientStream(const ClientStream&) = delete;
  ClientStream& operator=(const ClientStream&) = delete;

  // Resolves, connects and, for https, completes the TLS handshake: SNI, and the certificate and host name
  // checked unless verification is off. Runs the io_context until done, each step within `timeout`. Throws
  // connection_error, or certificate_error when the server's certificate is refused.
  // Only for a stream made with an io_context.
  void connect(std::chrono::milliseconds timeout);
  // The same steps without blocking: `done` runs on the stream's executor, which the caller keeps running.
  // The stream must outlive the operation.
  void async_connect(std::chrono::milliseconds timeout, ConnectHandler done);

  beast::tcp_stream& tcp() noexcept;  // deadlines and closing

  bool went_stale() { return vapidash::went_stale(tcp().socket()); }
  executor_type get_executor() noexcept { return tcp().get_executor(); }

  template <class MutableBuffers, class Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    std::visit([&](auto& stream) { stream.async_read_some(buffers, std::forward<Handler>(handler)); },
               stream_);
  }
  template <class ConstBuffers, class Handler>
  void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    std::visit([&](auto& stream) { stream.async_write_some(buffers, std::forward<Handler>(handler)); },
               stream_);
  }

  // How a WebSocket stream on top of this one shuts the connection down (found by argument-dependent lookup).
  template <class Handler>
  friend void async_teardown(beast::role_type role, ClientStream& stream, Handler&& handler) {
    std::visit(
        [&](auto& layer) {
          using websocket::async_teardown;
          async_teardown(role, layer, std::forward<Handler>(handler));
        },
        stream.stream_);
  }
  friend void teardown(beast::role_type role, ClientStream& stream, beast::error_code& ec);
  friend void beast_close_socket(ClientStream& stream) { stream.tcp().close(); }

 private:
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;

  struct Connecting;
  void on_connected(const std::shared_ptr<Connecting>& connecting);
  std::exception_ptr failure(const std::string& what, beast::error_code ec) const;
  std::exception_ptr handshake_failure(TlsStream& stream, beast::error_code ec) const;

  net::io_context* ioc_;  // null for a stream made with an executor: it connects asynchronously only
  ServerUrl server_;
  std::shared_ptr<ssl::context> context_;  // https only; outlives the stream that uses it
  bool verify_;
  std::variant<beast::tcp_stream, TlsStream> stream_;
};

}  // namespace vapidash
