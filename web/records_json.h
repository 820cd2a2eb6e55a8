// The JSON of stored records as the SPEC fixes it, shared by the CLI's
// --json output and the web API so both print the same bytes.
#pragma once

#include <nlohmann/json.hpp>

#include "pipeline/ingest.h"
#include "storage/database.h"
#include "storage/records.h"

namespace sohoa::web {

using json = nlohmann::ordered_json;

// What a person changed, oldest first, each with the value it replaced (the
// value read from the page, or an earlier correction), and why the document
// awaits review.
struct History {
  struct Change {
    storage::Correction correction;
    std::string previous;
  };
  std::vector<Change> changes;
  std::vector<std::string> review_reasons;
};
History history_of(storage::Database& db, int64_t id);

// The `show --json` object of a document (SPEC "show --json"), with its
// certifications, corrections and review reasons read from `db`.
json document_json(storage::Database& db, const storage::StoredDocument& doc);

// One `search --json` line: id, score, doc_number, issued_date, doc_type,
// unit, snippet (empty values are null).
json search_hit_json(const storage::SearchHit& hit);

// One `ingest --json` line: source, status (review reported as ok), id,
// pages, error.
json ingest_outcome_json(const pipeline::FileOutcome& outcome);

}  // namespace sohoa::web
