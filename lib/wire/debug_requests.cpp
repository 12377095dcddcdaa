#include "vapidash/wire/debug_requests.hpp"

#include "vapidash/error.hpp"
#include "vapidash/model/identifier.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

namespace {

std::optional<std::string> non_empty_status(const json& body) {
  auto status = optional_string(body, "status");
  if (status && status->empty()) throw invalid_input("invalid_field", "\"status\" must not be empty");
  return status;
}

}  // namespace

CallUpdate parse_create_test_call(const std::string& client_id, std::string_view body) {
  const auto object = parse_request_object(body);
  CallUpdate update;
  update.client_id = client_id;
  update.call_id = optional_string(object, "call_id").value_or("");
  if (!update.call_id.empty()) require_identifier("call_id", update.call_id);
  update.phone_number = optional_string(object, "phone_number");
  update.status = non_empty_status(object);
  update.event_payload = optional_object(object, "event_payload").value_or(json::object());
  return update;
}

EventRecord parse_log_status_event(const std::string& client_id, const std::string& call_id,
                                   std::string_view body) {
  const auto object = parse_request_object(body);
  auto status = non_empty_status(object);
  if (!status)
    throw invalid_input("invalid_field", "\"status\" is required, e.g. {\"status\": \"in-progress\"}");
  return EventRecord{client_id, call_id, std::move(*status),
                     optional_object(object, "payload").value_or(json::object())};
}

}  // namespace vapidash
