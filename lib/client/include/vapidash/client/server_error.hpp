#pragma once

#include <string>

#include "vapidash/error.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

// The server answered with an error status: an HTTP request, or a refused WebSocket upgrade.
// `body` is its JSON error body, or its raw text as a JSON string when it was not JSON.
class server_error : public error {
 public:
  server_error(unsigned status, json body);
  unsigned status() const noexcept { return status_; }
  const json& body() const noexcept { return body_; }

 private:
  unsigned status_;
  json body_;
};

// The body of an answer, parsed; its raw text as a JSON string when it is not JSON.
json answer_body(const std::string& text);

}  // namespace vapidash
