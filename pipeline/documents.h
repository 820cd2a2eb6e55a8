// The document-level steps: turning the read pages of one input file into
// the documents to store, the whole file (--split none) or the parts cut from
// a stack, each with its SPEC identity, metadata (codes included) and review
// reasons. Ingest's writer runs them once every page of a file is read, then
// archives and stores each document in one transaction.
//
// The contract of these steps:
// - They take pages that every page stage has run on, in page order, with
//   their text; they MUST NOT need pixels (the image may be released).
// - What the text does not give is not an error: a field not read, or read
//   without certainty, is left out and named in `review_reasons`, and the
//   status is then `review` (`ok` when there are none). They MUST NOT invent
//   a value to fill a field.
// - They MAY throw a std::exception only for what no document could survive
//   (out of memory, a broken registry); ingest then records the file failed
//   with "metadata extraction: what()".
// - They MUST NOT print nor write to the database; stored_parts() only reads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "metadata/extract.h"
#include "pipeline/split.h"
#include "pipeline/stages/page.h"
#include "storage/database.h"
#include "storage/records.h"

namespace sohoa::pipeline {

struct FileContext {
  std::string path;    // the input file as named
  std::string sha256;  // of its bytes
  std::string station;
  std::string unit;
  std::string digitized_at;
};

// The document shell of `file` (or of one part of it): identity and station.
// `part` null: the whole file (source PATH, sha256 HEX); else source
// PATH#FIRST-LAST and sha256 HEX#FIRST-LAST. The archived original is always
// the whole file.
storage::NewDocument document_shell(const FileContext& file, const StackPart* part = nullptr);

// Extracts metadata from `pages` (in order) into `doc`, sets its pages, the
// dossier_code a page's code holds when the text has none, and its status.
void fill_document(storage::NewDocument& doc, const std::vector<Page>& pages,
                   const metadata::MetadataExtractor& extractor, const std::string& station_unit);

// The documents of a file whose every page was read (pages in page order).
// kNone gives the whole file as one document; the split modes give one
// document per part (none for a file of separator sheets only), a part's
// review_reasons added to its document's.
std::vector<storage::NewDocument> file_documents(const FileContext& file,
                                                 const std::vector<Page>& pages, SplitMode mode,
                                                 const metadata::MetadataExtractor& extractor);

// The page range of a part's sha256 ("HEX#3-5" -> {3, 5}); nullopt for a
// whole file's.
std::optional<std::pair<int, int>> part_range(const std::string& sha256);

// Parts of the file with hash `file_sha256` already stored (not failed), in
// page order.
struct StoredPart {
  int64_t id = 0;
  std::string sha256;
  int first = 0;
  int last = 0;
};
std::vector<StoredPart> stored_parts(storage::Database& db, const std::string& file_sha256);

// True when `parts` (stored parts, page order) show that the whole stack of
// `page_count` pages was stored: parts are stored in page order, so the part
// that ends on the last page is stored last.
bool stack_complete(const std::vector<StoredPart>& parts, int page_count);

}  // namespace sohoa::pipeline
