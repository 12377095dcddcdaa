#pragma once

#include <cstddef>
#include <string_view>

#include "vapidash/model/call_update.hpp"

namespace vapidash {

inline constexpr std::size_t max_notes_bytes = 10000;
inline constexpr std::size_t max_disposition_bytes = 100;
inline constexpr std::size_t max_tags = 32;
inline constexpr std::size_t max_tag_bytes = 64;

// Body of PATCH /api/{client_id}/calls/{call_id}: at least one of "notes" (text), "disposition" (one line)
// and "tags" (an array of distinct one-line strings); null or "" clears a field, [] clears the tags. Throws
// invalid_input naming the field and its bound for anything else, unknown fields included.
CallAnnotations parse_call_annotations(std::string_view body);

}  // namespace vapidash
