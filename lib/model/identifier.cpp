#include "vapidash/model/identifier.hpp"

#include <algorithm>
#include <string>

#include "vapidash/error.hpp"

namespace vapidash {

namespace {
bool is_identifier_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '-';
}
}  // namespace

bool is_valid_identifier(std::string_view id) noexcept {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), is_identifier_char);
}

void require_identifier(std::string_view what, std::string_view id) {
  if (is_valid_identifier(id)) return;
  throw invalid_input("invalid_identifier",
                      std::string(what) + " must be 1-128 characters of A-Z a-z 0-9 . _ : - (got \"" +
                          std::string(id.substr(0, 64)) + (id.size() > 64 ? "...\")" : "\")"));
}

}  // namespace vapidash
