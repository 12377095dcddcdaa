#include "server/responses.hpp"

#include "wire/error_body.hpp"

namespace vapidash::server {

Response json_response(http::status status, const json& body) {
  Response response{status, 11};
  response.set(http::field::server, "vapidash");
  response.set(http::field::content_type, "application/json");
  response.body() = dump_json(body);
  response.prepare_payload();
  return response;
}

Response error_response(http::status status, std::string_view code, std::string_view message) {
  return json_response(status, error_body(code, message));
}

Response write_failure_response(const WriteFailure& failure) {
  return error_response(
      http::status::service_unavailable, "store_unavailable",
      "the database did not commit the write (" + failure.message + "); nothing was stored, retry later");
}

}  // namespace vapidash::server
