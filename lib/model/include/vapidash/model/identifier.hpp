#pragma once

#include <string_view>

namespace vapidash {

// docs/api.md: client_id and call_id are 1–128 characters of [A-Za-z0-9._:-].
bool is_valid_identifier(std::string_view id) noexcept;

// Throws invalid_input("invalid_identifier") naming `what` when `id` is not a valid identifier.
void require_identifier(std::string_view what, std::string_view id);

}  // namespace vapidash
