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

std::vector<Call> ApiClient::list_calls(const std::string& client_id,
                                        const std::optional<std::string>& status,
                                        const std::optional<int>& limit) {
  std::string target = "/api/" + segment(client_id) + "/calls";
  char separator = '?';
  if (status) {
    target += separator + ("status=" + segment(*status));
    separator = '&';
  }
  if (limit) target += separator + ("limit=" + std::to_string(*limit));
  return checked(http_.get(target, auth_headers())).get<std::vector<Call>>();
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
