#pragma once

#include <string>

namespace vapidash {

// A message to a call's control URL, as VAPI takes them:
//   {"type": "say", "content": "...", "endCallAfterSpoken": false}
//   {"type": "end-call"}
//   {"type": "transfer", "destination": {"type": "number", "number": "+1..."}, "content": "..."}
//   {"type": "add-message", "message": {"role": "user", "content": "..."}, "triggerResponseEnabled": true}
//   {"type": "control", "control": "mute-assistant" | "unmute-assistant"}
struct ControlCommand {
  std::string type;
  std::string content;                 // say, transfer (optional there), add-message
  bool end_call_after_spoken = false;  // say
  std::string number;                  // transfer
  std::string role;                    // add-message: user, assistant or system
  std::string control;                 // control
};

// Throws invalid_input: "invalid_json" for a body that is not a JSON object, "invalid_field" naming the
// field for a missing or mistyped one or an unknown type.
ControlCommand parse_control(const std::string& body);

}  // namespace vapidash
