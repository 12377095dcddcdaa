#include "vapidash/client/api_client.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "vapidash/wire/call_json.hpp"

namespace vapidash {

namespace {

std::string segment(const std::string& text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

}  // namespace

ApiClient::ApiClient(ServerUrl server, std::chrono::milliseconds timeout, std::optional<std::string> token,
                     TlsOptions tls)
    : http_(std::move(server), timeout, std::move(tls)), token_(std::move(token)) {}

HeaderList ApiClient::auth_headers() const {
  if (!token_) return {};
  return {{"Authorization", "Bearer " + *token_}};
}

json ApiClient::checked(HttpResponse response) {
  auto body = answer_body(response.body);
  if (response.status >= 400) throw server_error(response.status, std::move(body));
  if (body.is_string()) {
    throw error("the server at " + http_.server().url() + " answered " + std::to_string(response.status) +
                " with a body that is not JSON; is it a vapidash server?");
  }
  return body;
}

json ApiClient::create_test_call(const std::string& client_id, const json& body) {
  return checked(
      http_.post("/api/debug/create-test-call/" + segment(client_id), dump_json(body), auth_headers()));
}

json ApiClient::log_status_event(const std::string& client_id, const std::string& call_id, const json& body) {
  return checked(http_.post("/api/debug/log-status-event/" + segment(client_id) + "/" + segment(call_id),
                            dump_json(body), auth_headers()));
}

json ApiClient::control_call(const std::string& client_id, const std::string& call_id, const json& body) {
  return checked(http_.post("/api/" + segment(client_id) + "/calls/" + segment(call_id) + "/control",
                            dump_json(body), auth_headers()));
}

json ApiClient::annotate_call(const std::string& client_id, const std::string& call_id, const json& body) {
  return checked(http_.request(http::verb::patch, "/api/" + segment(client_id) + "/calls/" + segment(call_id),
                               dump_json(body), auth_headers()));
}

CallListQuery CallListQuery::after(const Call& last) const {
  auto next = *this;
  next.before = last.created_at;
  next.before_id = last.id;
  return next;
}

std::vector<Call> ApiClient::list_calls(const std::string& client_id, const CallListQuery& query) {
  std::string target = "/api/" + segment(client_id) + "/calls";
  char separator = '?';
  const auto limit = query.limit ? std::optional(std::to_string(*query.limit)) : std::nullopt;
  for (const auto& [name, value] :
       {std::pair{"status", query.status}, std::pair{"limit", limit}, std::pair{"before", query.before},
        std::pair{"before_id", query.before_id}}) {
    if (!value) continue;
    target += separator + std::string(name) + "=" + segment(*value);
    separator = '&';
  }
  return checked(http_.get(target, auth_headers())).get<std::vector<Call>>();
}

void ApiClient::each_call_page(const std::string& client_id, const CallListQuery& query,
                               const std::function<void(const std::vector<Call>&)>& on_page) {
  for (auto page_query = query;;) {
    const auto page = list_calls(client_id, page_query);
    if (!page.empty()) on_page(page);
    if (!query.limit || page.size() < static_cast<std::size_t>(*query.limit)) return;
    page_query = page_query.after(page.back());
  }
}

CallDetail ApiClient::call_detail(const std::string& client_id, const std::string& call_id) {
  return checked(http_.get("/api/" + segment(client_id) + "/calls/" + segment(call_id), auth_headers()))
      .get<CallDetail>();
}

std::vector<StatusEvent> ApiClient::status_events(const std::string& client_id, const std::string& call_id) {
  return checked(http_.get("/api/debug/status-events/" + segment(client_id) + "/" + segment(call_id),
                           auth_headers()))
      .get<std::vector<StatusEvent>>();
}

json ApiClient::post_webhook(const std::string& client_id, const std::string& body,
                             const HeaderList& headers) {
  return checked(http_.post("/webhooks/vapi/" + segment(client_id), body, headers));
}

}  // namespace vapidash
