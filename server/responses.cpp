#include "vapidash/server/responses.hpp"

#include "vapidash/wire/error_body.hpp"

namespace vapidash::server {

namespace {

Response headed(http::status status, std::string_view content_type) {
  Response response{status, 11};
  response.set(http::field::server, "vapidash");
  response.set(http::field::content_type, content_type);
  return response;
}

}  // namespace

Response text_response(http::status status, std::string_view content_type, std::string body) {
  auto response = headed(status, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Reply streamed_response(http::status status, std::string_view content_type, BodySource body) {
  return Reply(headed(status, content_type), std::move(body));
}

Response json_response(http::status status, const json& body) {
  return text_response(status, "application/json", dump_json(body));
}

Response error_response(http::status status, std::string_view code, std::string_view message) {
  return json_response(status, error_body(code, message));
}

}  // namespace vapidash::server
