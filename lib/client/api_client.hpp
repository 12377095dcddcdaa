#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "client/http_client.hpp"
#include "error.hpp"
#include "model/call.hpp"
#include "model/status_event.hpp"
#include "wire/json.hpp"

namespace vapidash {

// The server answered with an error status; `body` is its JSON error body (or the raw text as a string).
class server_error : public error {
 public:
  server_error(unsigned status, json body);
  unsigned status() const noexcept { return status_; }
  const json& body() const noexcept { return body_; }

 private:
  unsigned status_;
  json body_;
};

// The API of a vapidash server, one method per endpoint. Throws connection_error when the server cannot be
// reached and server_error when it answers with an error.
class ApiClient {
 public:
  ApiClient(Endpoint endpoint, std::chrono::milliseconds timeout, std::optional<std::string> token = {});

  json create_test_call(const std::string& client_id, const json& body);
  json log_status_event(const std::string& client_id, const std::string& call_id, const json& body);
  std::vector<Call> list_calls(const std::string& client_id, const std::optional<std::string>& status,
                               const std::optional<int>& limit);
  json call_detail(const std::string& client_id, const std::string& call_id);
  std::vector<StatusEvent> status_events(const std::string& client_id, const std::string& call_id);
  json post_webhook(const std::string& client_id, const std::string& body, const HeaderList& headers);

 private:
  HeaderList auth_headers() const;
  json checked(HttpResponse response);

  HttpClient http_;
  std::optional<std::string> token_;
};

// A JSON command-line argument: inline JSON, or "@path" to read it from a file. Throws invalid_input.
json read_json_argument(const std::string& text, const char* what);

}  // namespace vapidash
