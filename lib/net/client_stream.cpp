#include "vapidash/net/client_stream.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <cerrno>

#include "vapidash/error.hpp"

namespace vapidash {

namespace {

bool is_ip_address(const std::string& host) {
  beast::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// SNI names the host (never an IP address, RFC 6066), and verification requires it in the certificate.
void expect_host(SSL* ssl, const std::string& host, bool verify) {
  const bool ip = is_ip_address(host);
  if (!ip) SSL_set_tlsext_host_name(ssl, host.c_str());
  if (!verify) return;
  if (ip) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
  } else {
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    SSL_set1_host(ssl, host.c_str());
  }
}

}  // namespace

std::shared_ptr<ssl::context> client_tls_context(const TlsOptions& tls) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  if (!tls.verify) {
    context->set_verify_mode(ssl::verify_none);
    return context;
  }
  context->set_verify_mode(ssl::verify_peer);
  beast::error_code ec;
  if (tls.ca_file.empty()) {
    context->set_default_verify_paths(ec);  // honours SSL_CERT_FILE and SSL_CERT_DIR, as curl and openssl do
    if (ec) throw connection_error("cannot load the system's CA certificates: " + ec.message());
  } else {
    context->load_verify_file(tls.ca_file, ec);
    if (ec) {
      throw invalid_input("invalid_cacert", "cannot load CA certificates from \"" + tls.ca_file +
                                                "\": " + ec.message() + " (expected a PEM file)");
    }
  }
  return context;
}

// The same connection over a strand of `ioc`: the blocking steps run `ioc` itself.
ClientStream::ClientStream(net::io_context& ioc, ServerUrl server, const TlsOptions& tls)
    : ClientStream(ioc.get_executor(), server, server.tls ? client_tls_context(tls) : nullptr) {
  ioc_ = &ioc;
}

ClientStream::ClientStream(executor_type executor, ServerUrl server,
                           std::shared_ptr<ssl::context> tls_context)
    : ioc_(nullptr),
      server_(std::move(server)),
      context_(server_.tls ? std::move(tls_context) : nullptr),
      verify_(context_ && SSL_CTX_get_verify_mode(context_->native_handle()) != SSL_VERIFY_NONE),
      stream_(std::in_place_type<beast::tcp_stream>, executor) {
  if (server_.tls && !context_) throw std::logic_error("a TLS connection needs a TLS context");
  if (context_) stream_.emplace<TlsStream>(executor, *context_);
}

beast::tcp_stream& ClientStream::tcp() noexcept {
  return std::visit([](auto& stream) -> beast::tcp_stream& { return beast::get_lowest_layer(stream); },
                    stream_);
}

bool went_stale(tcp::socket& socket) {
  if (!socket.is_open()) return true;
  char byte = 0;
  const auto peeked = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return peeked >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
}

struct ClientStream::Connecting {
  tcp::resolver resolver;
  std::chrono::milliseconds timeout;
  ConnectHandler done;
};

void ClientStream::connect(std::chrono::milliseconds timeout) {
  if (ioc_ == nullptr) throw std::logic_error("connect() needs a stream made with an io_context");
  std::exception_ptr failed;
  async_connect(timeout, [&failed](std::exception_ptr failure) { failed = std::move(failure); });
  ioc_->restart();
  ioc_->run();
  if (failed) std::rethrow_exception(failed);
}

void ClientStream::async_connect(std::chrono::milliseconds timeout, ConnectHandler done) {
  auto connecting =
      std::make_shared<Connecting>(Connecting{tcp::resolver(get_executor()), timeout, std::move(done)});
  connecting->resolver.async_resolve(
      server_.host, std::to_string(server_.port),
      [this, connecting](beast::error_code ec, const tcp::resolver::results_type& endpoints) {
        if (ec) return connecting->done(failure("resolve", ec));
        tcp().expires_after(connecting->timeout);
        tcp().async_connect(endpoints, [this, connecting](beast::error_code e, const tcp::endpoint&) {
          if (e) return connecting->done(failure("connect to", e));
          on_connected(connecting);
        });
      });
}

void ClientStream::on_connected(const std::shared_ptr<Connecting>& connecting) {
  beast::error_code ignored;
  tcp().socket().set_option(tcp::no_delay(true), ignored);
  auto* tls = std::get_if<TlsStream>(&stream_);
  if (tls == nullptr) return connecting->done(nullptr);
  expect_host(tls->native_handle(), server_.host, verify_);
  tcp().expires_after(connecting->timeout);
  tls->async_handshake(ssl::stream_base::client, [this, tls, connecting](beast::error_code ec) {
    connecting->done(ec ? handshake_failure(*tls, ec) : nullptr);
  });
}

std::exception_ptr ClientStream::failure(const std::string& what, beast::error_code ec) const {
  const auto message = "cannot " + what + " " + server_.url() + ": " + ec.message();
  if (ec == beast::error::timeout) return std::make_exception_ptr(timeout_error(message));
  return std::make_exception_ptr(connection_error(message));
}

std::exception_ptr ClientStream::handshake_failure(TlsStream& stream, beast::error_code ec) const {
  const auto verdict = SSL_get_verify_result(stream.native_handle());
  if (verify_ && verdict != X509_V_OK) {
    return std::make_exception_ptr(certificate_error(
        "cannot verify the TLS certificate of " + server_.url() + ": " +
            X509_verify_cert_error_string(verdict),
        verdict == X509_V_ERR_HOSTNAME_MISMATCH || verdict == X509_V_ERR_IP_ADDRESS_MISMATCH));
  }
  if (ec.category() == net::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_WRONG_VERSION_NUMBER) {
    return std::make_exception_ptr(
        connection_error("cannot complete the TLS handshake with " + server_.url() +
                         ": the server does not speak TLS; if it serves plain HTTP, use http://"));
  }
  return std::make_exception_ptr(
      connection_error("cannot complete the TLS handshake with " + server_.url() + ": " + ec.message()));
}

void teardown(beast::role_type role, ClientStream& stream, beast::error_code& ec) {
  std::visit(
      [&](auto& layer) {
        using websocket::teardown;
        teardown(role, layer, ec);
      },
      stream.stream_);
}

}  // namespace vapidash
