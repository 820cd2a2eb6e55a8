#include "pipeline/station_merge.h"

#include <set>
#include <stdexcept>

#include "storage/database.h"

namespace sohoa::pipeline {
namespace fs = std::filesystem;

namespace {

void check_station_file(const fs::path& station_db, const fs::path& target_db) {
  std::error_code ec;
  if (!fs::is_regular_file(station_db, ec)) {
    throw std::invalid_argument(station_db.string() + ": no such database file");
  }
  if (fs::exists(target_db, ec) && fs::equivalent(station_db, target_db, ec)) {
    throw std::invalid_argument(station_db.string() + ": is this database itself");
  }
}

// Present when stored here, unless only as failed while the station read it.
bool already_present(storage::Database& target, const storage::NewDocument& doc) {
  auto existing = target.find_by_sha256(doc.sha256);
  if (!existing) return false;
  return existing->status != "failed" || doc.status == "failed";
}

// The SHA-256s of the documents deleted here. Deletion wins over a station
// that still holds the document; ingesting the bytes here again is how one
// is brought back (then it is stored and counts as present).
std::set<std::string> deleted_here(storage::Database& target) {
  std::set<std::string> out;
  for (const auto& d : target.deletions()) out.insert(d.sha256);
  return out;
}

}  // namespace

MergeSummary merge_station(const fs::path& station_db, const fs::path& target_db,
                           const std::function<void(const std::string&)>& on_problem) {
  check_station_file(station_db, target_db);
  auto station = storage::Database::open(station_db);
  auto target = storage::Database::open(target_db);
  const storage::Archive station_archive = storage::Archive::beside(station_db);

  const std::set<std::string> deleted = deleted_here(*target);
  MergeSummary summary;
  for (int64_t id : station->document_ids()) {
    std::optional<storage::NewDocument> doc = station->document_as_stored(id);
    if (!doc) continue;
    if (already_present(*target, *doc)) {
      ++summary.present;
      continue;
    }
    if (deleted.count(doc->sha256) > 0) {
      ++summary.deleted;
      continue;
    }
    // The original goes first: a merge killed in between leaves only an
    // archived file, and the rerun stores the document.
    if (station_archive.contains(doc->archive_sha256)) {
      target->put_original(station_archive.path_of(doc->archive_sha256), doc->archive_sha256);
    } else {
      ++summary.missing_originals;
      if (on_problem) on_problem(doc->source + ": original not in the station's archive");
    }
    target->store_document_with_corrections(*doc, station->correction_history(id));
    ++summary.added;
  }
  return summary;
}

}  // namespace sohoa::pipeline
