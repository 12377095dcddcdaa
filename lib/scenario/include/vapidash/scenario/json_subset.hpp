#pragma once

#include <string>
#include <vector>

#include "vapidash/wire/json.hpp"

namespace vapidash {

// One place where an actual JSON value differs from what a scenario expects.
struct Mismatch {
  std::string pointer;  // JSON pointer into the actual value, "" for the root
  std::string expected;
  std::string actual;  // "(missing)" when the key is not there
};

// Compares `actual` with the subset `expected`: objects match when each expected key matches (extra keys are
// fine), arrays element by element with equal lengths, scalars by equality (numbers as numbers). An object
// with one "$" key is a matcher: {"$any": "string"|"number"|"boolean"|"object"|"array"|"null"|"value"},
// {"$absent": true} (the key is missing), {"$contains": "text"} (a string containing text).
std::vector<Mismatch> match_subset(const json& expected, const json& actual);

// A key as one JSON pointer token ("a/b" → "a~1b").
std::string pointer_token(const std::string& key);

// Whether `value` is one of the matchers above; a "$" key that is not one of them is an error in the file.
bool is_matcher(const json& value);

// Why `value` (or a matcher nested in it) is not a valid matcher, or "" when every "$" object is one.
std::string invalid_matcher(const json& value);

}  // namespace vapidash
