#pragma once

#include "vapidash/store/sqlite_db.hpp"

namespace vapidash::sqlite {

// The schema version this build writes.
int latest_schema_version();

// Brings the database up to latest_schema_version(), one transaction per step, recorded in
// PRAGMA user_version. Throws store_error for a database written by a newer vapidash.
void migrate(Database& db);

}  // namespace vapidash::sqlite
