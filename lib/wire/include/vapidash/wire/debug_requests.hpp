#pragma once

#include <string>
#include <string_view>

#include "vapidash/model/call_update.hpp"

namespace vapidash {

// Body of POST /api/debug/create-test-call/{client_id}; every field optional, an empty body is {}.
// Throws invalid_input on malformed JSON, wrong types or an invalid call_id.
CallUpdate parse_create_test_call(const std::string& client_id, std::string_view body);

// Body of POST /api/debug/log-status-event/{client_id}/{call_id}: "status" required, "payload" optional
// object.
EventRecord parse_log_status_event(const std::string& client_id, const std::string& call_id,
                                   std::string_view body);

}  // namespace vapidash
