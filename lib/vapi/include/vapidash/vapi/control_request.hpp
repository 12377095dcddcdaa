#pragma once

#include <string>
#include <string_view>

#include "vapidash/wire/json.hpp"

namespace vapidash {

// A request to VAPI's per-call control URL, checked before it is sent: `body` is what goes to VAPI, `action`
// what the call's timeline records it as ("say", "end-call", "transfer", "add-message", "mute-assistant",
// "unmute-assistant").
struct ControlRequest {
  std::string action;
  json body;
};

// One of VAPI's control bodies:
//   {"type": "say", "content": TEXT, "endCallAfterSpoken"?: BOOL}
//   {"type": "end-call"}
//   {"type": "transfer", "destination": {"type": "number", "number": "+E164"} | {"type": "sip",
//    "sipUri": "sip:..."}, "content"?: TEXT}
//   {"type": "add-message", "message": {"role": "system"|"user"|"assistant", "content": TEXT},
//    "triggerResponseEnabled"?: BOOL}
//   {"type": "control", "control": "mute-assistant"|"unmute-assistant"}
// Throws invalid_input naming what is wrong, unknown fields included.
ControlRequest parse_control_request(std::string_view body);

// The original server's POST .../force-transfer body {"agent_phone_number", "content"?} as a transfer.
ControlRequest parse_force_transfer(std::string_view body);

}  // namespace vapidash
