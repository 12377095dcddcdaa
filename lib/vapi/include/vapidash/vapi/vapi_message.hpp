#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vapidash/model/call_update.hpp"

namespace vapidash {

// A VAPI server message read into what the store needs. `update` is empty when the message has no call
// (VAPI's chat and session events), and timeline_only when it may not change its call (a status-update
// without a VAPI status): `ignored` then says why.
struct VapiMessage {
  std::string type;
  std::optional<CallUpdate> update;
  std::string ignored;
};

// Reads POST /webhooks/vapi/{client_id}'s body. Real senders break the schema's promises, so every optional
// field is read leniently: one that is missing, empty or of an unexpected type is treated as absent.
// Throws invalid_input only when the envelope itself is unusable: not a JSON object with a "message" object,
// no string "type", or a call.id that is not a valid identifier. The timeline entry keeps the message in
// `form`; everything else is read from the whole message.
VapiMessage parse_vapi_message(const std::string& client_id, std::string_view body, PayloadForm form);

// The dedupe key of a delivery within its call: a SHA-256 digest (16 hex digits) of the message's type,
// status and timestamp (a content hash stands in for a missing timestamp; a transcript line's role and text
// count as its status).
std::string delivery_key(const nlohmann::ordered_json& message);

}  // namespace vapidash
