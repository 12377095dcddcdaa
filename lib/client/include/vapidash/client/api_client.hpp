#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "vapidash/client/http_client.hpp"
#include "vapidash/client/server_error.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/call.hpp"
#include "vapidash/model/status_event.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

// The API of a vapidash server, one method per endpoint. Throws connection_error when the server cannot be
// reached, server_error when it answers with an error, and vapidash::error when a success is not JSON.
class ApiClient {
 public:
  ApiClient(ServerUrl server, std::chrono::milliseconds timeout, std::optional<std::string> token = {},
            TlsOptions tls = {});

  json create_test_call(const std::string& client_id, const json& body);
  json log_status_event(const std::string& client_id, const std::string& call_id, const json& body);
  std::vector<Call> list_calls(const std::string& client_id, const std::optional<std::string>& status,
                               const std::optional<int>& limit);
  CallDetail call_detail(const std::string& client_id, const std::string& call_id);
  std::vector<StatusEvent> status_events(const std::string& client_id, const std::string& call_id);
  json post_webhook(const std::string& client_id, const std::string& body, const HeaderList& headers);

 private:
  HeaderList auth_headers() const;
  json checked(HttpResponse response);

  HttpClient http_;
  std::optional<std::string> token_;
};

}  // namespace vapidash
