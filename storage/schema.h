// The database schema as an ordered list of migrations; PRAGMA user_version
// records how many have been applied.
#pragma once

#include <string_view>
#include <vector>

namespace sohoa::storage {

// Each entry is one migration's SQL, applied in order in one transaction.
const std::vector<std::string_view>& migrations();

}  // namespace sohoa::storage
