// The PostgreSQL store's schema, as an ordered list of migrations: version N
// of a central database has the first N applied (table sohoa_schema).
#pragma once

#include <string_view>
#include <vector>

namespace sohoa::storage {

const std::vector<std::string_view>& postgres_migrations();

}  // namespace sohoa::storage
