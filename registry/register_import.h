// `register import`: the one-stop-shop register of results (SPEC "Register")
// into the store.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "storage/database.h"

namespace sohoa::registry {

struct RegisterRejection {
  int line = 0;
  std::string reason;
};

struct RegisterImport {
  int64_t inserted = 0;
  int64_t updated = 0;
  std::vector<RegisterRejection> rejected;  // by line
};

// Imports every valid row of `path` in one transaction and lists the others
// with their line and reason (unknown unit, bad date, missing number, a NUL
// byte, the same key as an earlier line of the file, ...). Columns by header
// name in any order; `unit`, `doc_number`, `issued_date` are required
// columns. `encoding` (an ICU name, e.g. "windows-1258"; empty = UTF-8) is
// the file's character set. Throws storage::InputError when the file cannot
// be read, is not in that encoding (not UTF-8: naming the line) or lacks a
// required column (nothing imported).
RegisterImport import_register(storage::Database& db, const std::filesystem::path& path,
                               const std::string& encoding = "");

}  // namespace sohoa::registry
