// The database schema as an ordered list of migrations; PRAGMA user_version
// records how many have been applied.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace sohoa::storage {

// Each entry is one migration's SQL, applied in order in one transaction.
const std::vector<std::string_view>& migrations();

// The secondary indexes of register_rows as the migrations leave them:
// {name, CREATE INDEX statement}. A bulk import into an empty register drops
// and rebuilds them, since building an index by sorting beats a million
// random insertions.
const std::vector<std::pair<std::string_view, std::string_view>>& register_indexes();

}  // namespace sohoa::storage
