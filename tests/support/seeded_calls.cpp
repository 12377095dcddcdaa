#include "support/seeded_calls.hpp"

#include "vapidash/store/sqlite_db.hpp"

namespace vapidash::test {

void seed_calls(const std::string& db_path, const std::string& client_id, std::int64_t count) {
  sqlite::Database db(db_path, false);
  db.prepare(R"sql(
WITH RECURSIVE n(i) AS (SELECT 0 WHERE ?2 > 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2),
seeded(i, created_at, status) AS (
  SELECT i, strftime('%Y-%m-%dT%H:%M:%S', 1765350000 + i / 3, 'unixepoch') || '.195889',
         CASE i % 3 WHEN 0 THEN 'ended' WHEN 1 THEN 'in-progress' ELSE 'ringing' END FROM n)
INSERT INTO calls (client_id, id, phone_number, status, started_at, ended_at, created_at, updated_at,
                   listen_url)
SELECT ?1, ?1 || '-' || i,
       CASE WHEN i % 97 = 5 THEN 'say "hi" \ ' || char(233, 8364) || ' ' || CAST(X'FF' AS TEXT)
            WHEN i % 11 = 0 THEN ''
            ELSE printf('+1555%07d', i) END,
       status,
       CASE WHEN status = 'ringing' THEN NULL ELSE created_at END,
       CASE WHEN status = 'ended' THEN created_at END,
       created_at, created_at,
       CASE WHEN i % 2 = 0 THEN 'wss://example.test/listen/' || i END
FROM seeded
)sql")
      .bind(1, client_id)
      .bind(2, count)
      .run();
}

}  // namespace vapidash::test
