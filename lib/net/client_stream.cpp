#include "vapidash/net/client_stream.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <cerrno>

#include "vapidash/error.hpp"

namespace vapidash {

namespace {

std::unique_ptr<ssl::context> client_context(const TlsOptions& tls) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
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

ClientStream::ClientStream(net::io_context& ioc, ServerUrl server, const TlsOptions& tls)
    : ioc_(ioc),
      server_(std::move(server)),
      verify_(tls.verify),
      context_(server_.tls ? client_context(tls) : nullptr),
      stream_(std::in_place_type<beast::tcp_stream>, ioc) {
  if (context_) stream_.emplace<TlsStream>(ioc, *context_);
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

void ClientStream::run(beast::error_code& ec, const std::string& what) {
  ioc_.restart();
  ioc_.run();
  if (!ec) return;
  const auto message = "cannot " + what + " " + server_.url() + ": " + ec.message();
  if (ec == beast::error::timeout) throw timeout_error(message);
  throw connection_error(message);
}

void ClientStream::connect(std::chrono::milliseconds timeout) {
  beast::error_code ec;
  tcp::resolver resolver(ioc_);
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(server_.host, std::to_string(server_.port),
                         [&](beast::error_code e, tcp::resolver::results_type r) {
                           ec = e;
                           endpoints = std::move(r);
                         });
  run(ec, "resolve");
  tcp().expires_after(timeout);
  tcp().async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  run(ec, "connect to");
  tcp().socket().set_option(tcp::no_delay(true));
  if (auto* tls = std::get_if<TlsStream>(&stream_)) handshake(*tls, timeout);
}

void ClientStream::handshake(TlsStream& stream, std::chrono::milliseconds timeout) {
  expect_host(stream.native_handle(), server_.host, verify_);
  beast::error_code ec;
  tcp().expires_after(timeout);
  stream.async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
  ioc_.restart();
  ioc_.run();
  if (!ec) return;
  const auto verdict = SSL_get_verify_result(stream.native_handle());
  if (verify_ && verdict != X509_V_OK) {
    throw certificate_error(
        "cannot verify the TLS certificate of " + server_.url() + ": " +
            X509_verify_cert_error_string(verdict),
        verdict == X509_V_ERR_HOSTNAME_MISMATCH || verdict == X509_V_ERR_IP_ADDRESS_MISMATCH);
  }
  if (ec.category() == net::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_WRONG_VERSION_NUMBER) {
    throw connection_error("cannot complete the TLS handshake with " + server_.url() +
                           ": the server does not speak TLS; if it serves plain HTTP, use http://");
  }
  throw connection_error("cannot complete the TLS handshake with " + server_.url() + ": " + ec.message());
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
