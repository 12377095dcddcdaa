#pragma once

#include "vapidash/store/pg_connection.hpp"

namespace vapidash::pg {

int latest_schema_version();

// Brings the database's schema up to date. Holds an advisory lock while it looks and migrates, so servers
// starting together take turns: the first migrates, the others find the work done. Refuses (store_error) a
// schema newer than this vapidash knows.
void migrate(Connection& connection);

}  // namespace vapidash::pg
