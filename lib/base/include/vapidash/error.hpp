#pragma once

#include <stdexcept>
#include <string>

namespace vapidash {

// Base of every error lib/ throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The caller sent something the contract rejects; `code` is the docs/api.md error slug.
class invalid_input : public error {
 public:
  invalid_input(std::string code, const std::string& message) : error(message), code_(std::move(code)) {}
  const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

// The caller lacks a credential the tenant requires (401), or the tenant refuses the request outright (403).
class access_denied : public error {
 public:
  access_denied(int status, std::string code, const std::string& message)
      : error(message), status_(status), code_(std::move(code)) {}
  int status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }

 private:
  int status_;
  std::string code_;
};

// The database could not do what was asked (I/O error, corrupt file, newer schema).
class store_error : public error {
 public:
  using error::error;
};

// Another store (usually another server) holds the database this store needs to itself.
class store_locked : public store_error {
 public:
  using store_error::store_error;
};

// The database server cannot be reached right now (down, restarting, connection lost): retry later.
class store_unavailable : public store_error {
 public:
  using store_error::store_error;
};

// A client could not reach or talk to the server.
class connection_error : public error {
 public:
  using error::error;
};

// A client's connect, send or receive did not finish within its deadline.
class timeout_error : public connection_error {
 public:
  using connection_error::connection_error;
};

// A client reached the server but refused its TLS certificate: untrusted, expired, or for another host.
class certificate_error : public connection_error {
 public:
  certificate_error(const std::string& message, bool wrong_host)
      : connection_error(message), wrong_host_(wrong_host) {}
  bool wrong_host() const noexcept { return wrong_host_; }  // valid, but issued for another name or address

 private:
  bool wrong_host_;
};

}  // namespace vapidash
