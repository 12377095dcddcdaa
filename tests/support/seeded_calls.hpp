#pragma once

#include <cstdint>
#include <string>

namespace vapidash::test {

// Inserts `count` calls of `client_id` (ids "<client_id>-0" on) straight into the store file at `db_path`
// with one INSERT: 100,000 take a fraction of a second even under ASan, where webhooks would take minutes.
// Every three consecutive calls share a created_at (ties a cursor must break), statuses cycle through ended,
// in-progress and ringing with their timestamps set or null accordingly, and some rows hold text that
// serialising must escape (quotes, backslashes, non-ASCII, a byte that is not UTF-8).
void seed_calls(const std::string& db_path, const std::string& client_id, std::int64_t count);

}  // namespace vapidash::test
