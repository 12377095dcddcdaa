// The store conformance suite (tests/store) against PostgreSQL.
#include "support/store_conformance.hpp"

namespace vapidash::test {

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance, ::testing::Values(postgres_engine()), engine_name);

}  // namespace vapidash::test
