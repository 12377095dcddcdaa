#pragma once

#include <nlohmann/json.hpp>

namespace vapidash {

// The timeline's compact form of a VAPI server message: what the message itself says, without what VAPI
// repeats on every message of a call. Pure; the input is not changed.
//   - `call` keeps only `id`: the call's snapshot (monitor URLs, customer, times, cost) is on the call row.
//   - `assistant`, `squad`, `phoneNumber` and `inboundPhoneCallDebuggingArtifacts` are dropped:
//   configuration.
//   - Except on an end-of-call report, `artifact.messages` and `artifact.messagesOpenAIFormatted` (the
//     conversation so far) are dropped, and so is an artifact left empty.
//   - A conversation-update keeps the last entry of `messages` and of `conversation` (the turn that caused
//     it) and drops `messagesOpenAIFormatted`: the whole conversation is in the end-of-call report.
// Every other field is kept as sent, so the compact form parses to the same type, status, transcript line,
// report and delivery key as the full one.
nlohmann::ordered_json compact_message(const nlohmann::ordered_json& message);

// The `none` form: only the message's type.
nlohmann::ordered_json message_type_only(const nlohmann::ordered_json& message);

}  // namespace vapidash
