// `units import`: the units CSV of SPEC "Units" into the registry.
#pragma once

#include <filesystem>
#include <vector>

#include "storage/database.h"

namespace sohoa::registry {

// Reads and checks the whole file: header
// code,name,level,parent,valid_from,valid_to,successor (any order); level one
// of tinh|huyen|xa; dates ISO or dd/mm/yyyy (stored ISO); codes unique;
// parent and successor known (in the file or in `known`); valid_to not
// before valid_from. Throws storage::InputError "FILE:LINE: reason" on the
// first problem, so nothing is imported from a bad file.
std::vector<storage::Unit> read_units_csv(const std::filesystem::path& path,
                                          const std::vector<storage::Unit>& known);

// Reads `path` and upserts its units in one transaction; returns how many.
size_t import_units(storage::Database& db, const std::filesystem::path& path);

}  // namespace sohoa::registry
