// The PostgreSQL store's schema, as an ordered list of migrations: version N
// of a central database has the first N applied (table sohoa_schema).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sohoa::storage {

const std::vector<std::string_view>& postgres_migrations();

// The statement adding every register row to the day tallies (migration 6),
// to run on an empty register_day_tally.
std::string register_day_tally_rebuild();

}  // namespace sohoa::storage
