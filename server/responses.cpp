#include "vapidash/server/responses.hpp"

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

}  // namespace vapidash::server
