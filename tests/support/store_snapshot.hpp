#pragma once

#include <string>

namespace vapidash::test {

// Every row of every table of the SQLite file at `path`, as text, so "a rejected request changed nothing"
// covers whatever a request could touch, including tables added later.
std::string store_snapshot(const std::string& path);

}  // namespace vapidash::test
