#include "vapidash/server/responses.hpp"

#include "vapidash/server/log.hpp"
#include "vapidash/wire/error_body.hpp"

namespace vapidash::server {

Response text_response(http::status status, std::string_view content_type, std::string body) {
  Response response{status, 11};
  response.set(http::field::server, "vapidash");
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response json_response(http::status status, const json& body) {
  return text_response(status, "application/json", dump_json(body));
}

Response error_response(http::status status, std::string_view code, std::string_view message) {
  return json_response(status, error_body(code, message));
}

Response write_failure_response(const WriteFailure& failure) {
  log().error("a write failed in the store: {}", failure.message);
  return error_response(
      http::status::service_unavailable, "store_unavailable",
      "the database could not store the write durably (" + failure.message + "); retry later");
}

}  // namespace vapidash::server
