#pragma once

#include <chrono>
#include <functional>
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

// The query of GET /api/{client_id}/calls: one page of the list, newest first.
struct CallListQuery {
  std::optional<std::string> status;
  std::optional<int> limit;
  std::optional<std::string> before;     // a created_at cursor: calls created earlier,
  std::optional<std::string> before_id;  // and those created at `before` that are listed after this call

  // The query of the page after `last`, the previous page's last row.
  CallListQuery after(const Call& last) const;
};

// The API of a vapidash server, one method per endpoint. Throws connection_error when the server cannot be
// reached, server_error when it answers with an error, and vapidash::error when a success is not JSON.
class ApiClient {
 public:
  ApiClient(ServerUrl server, std::chrono::milliseconds timeout, std::optional<std::string> token = {},
            TlsOptions tls = {});

  json create_test_call(const std::string& client_id, const json& body);
  json log_status_event(const std::string& client_id, const std::string& call_id, const json& body);
  std::vector<Call> list_calls(const std::string& client_id, const CallListQuery& query);
  // Pages through the list from `query`'s cursor, query.limit rows per request, until a page comes back
  // short; `on_page` gets each page as it arrives.
  void each_call_page(const std::string& client_id, const CallListQuery& query,
                      const std::function<void(const std::vector<Call>&)>& on_page);
  CallDetail call_detail(const std::string& client_id, const std::string& call_id);
  std::vector<StatusEvent> status_events(const std::string& client_id, const std::string& call_id);
  // POST .../control: one of VAPI's control bodies, forwarded to the call's controlUrl.
  json control_call(const std::string& client_id, const std::string& call_id, const json& body);
  // PATCH .../calls/{call_id}: notes, disposition, tags.
  json annotate_call(const std::string& client_id, const std::string& call_id, const json& body);
  json post_webhook(const std::string& client_id, const std::string& body, const HeaderList& headers);

 private:
  HeaderList auth_headers() const;
  json checked(HttpResponse response);

  HttpClient http_;
  std::optional<std::string> token_;
};

}  // namespace vapidash
