// The JSON of stored records as the SPEC fixes it, shared by the CLI's
// --json output and the web API so both print the same bytes.
#pragma once

#include <nlohmann/json.hpp>

#include "pipeline/ingest.h"
#include "storage/records.h"

namespace sohoa::web {

using json = nlohmann::ordered_json;

// The `show --json` object of a document (SPEC "show --json").
json document_json(const storage::StoredDocument& doc);

// One `search --json` line: id, score, doc_number, issued_date, doc_type,
// unit, snippet (empty values are null).
json search_hit_json(const storage::SearchHit& hit);

// One `ingest --json` line: source, status (review reported as ok), id,
// pages, error.
json ingest_outcome_json(const pipeline::FileOutcome& outcome);

}  // namespace sohoa::web
