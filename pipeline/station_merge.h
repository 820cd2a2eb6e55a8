// Station merge: a commune station's database (and its archive of originals)
// brought into the district's database, idempotent by SHA-256.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace sohoa::pipeline {

struct MergeSummary {
  int added = 0;              // documents new to this database (or replacing a failed record)
  int present = 0;            // already here, left as they are
  int missing_originals = 0;  // added without an original in the station's archive
  int deleted = 0;            // deleted here (a tombstone holds their SHA-256): not brought back
};

// Copies every document of the database at `station_db` (pages, text,
// extracted metadata, corrections with who and when, archived original) that
// `target_db` lacks, each in one transaction after its original is archived.
// A document here recorded as failed is replaced by the station's read one.
// A document deleted here (its SHA-256 in a tombstone, not stored again
// since) stays deleted: a station that still holds it does not bring it back.
// Throws std::invalid_argument when `station_db` is missing or is the target
// itself, storage::StorageError when a database cannot be read or written.
// `on_problem` hears of documents whose original is missing.
MergeSummary merge_station(const std::filesystem::path& station_db,
                           const std::filesystem::path& target_db,
                           const std::function<void(const std::string&)>& on_problem = {});

}  // namespace sohoa::pipeline
