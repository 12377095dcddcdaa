#pragma once

#include <string>
#include <vector>

namespace vapidash::test {

// Every row of every table of the vapidash store at `path`, each column quoted, as text: comparing two
// snapshots says whether anything stored changed. Tables and columns are read from the file's own schema,
// so a table or column added later is covered without touching this. Throws std::logic_error when the file
// lacks one of store_tables(), so a snapshot of the wrong file can never compare equal by being empty.
std::string store_snapshot(const std::string& path);

// The tables every vapidash store has (lib/store/schema.cpp); a snapshot holds at least these.
const std::vector<std::string>& store_tables();

}  // namespace vapidash::test
