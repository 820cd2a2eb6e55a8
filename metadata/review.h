// Review and re-extraction of stored documents: the extractor runs again on
// the stored OCR layout (no OCR), and a person's corrections, which storage
// keeps apart and lets win, decide the status together with it.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "metadata/extract.h"
#include "storage/records.h"

namespace sohoa::metadata {

struct Assessment {
  std::vector<storage::Field> fields;  // the fresh extraction, to store as extracted
  std::string issuer_unit;             // from the fields with corrections over them
  std::string level;                   // the issuing unit's level; empty when unknown
  std::string status;                  // ok | review
  std::vector<std::string> reasons;
};

// A stored document that cannot be re-extracted (failed, or stored without
// its OCR layout).
class NotReextractable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The person-set fields of a stored document: storage returns corrections at
// confidence 1, which extraction never reaches (kMaxExtractedConfidence).
std::vector<storage::Field> corrections_of(const storage::StoredDocument& doc);

// Extracts again from the stored layout of every page and decides issuer and
// status with the corrections laid over the result. Throws NotReextractable.
Assessment reassess(const MetadataExtractor& extractor, const storage::StoredDocument& doc);

// A person's value for `field` in the SPEC's form: NFC, spaces folded;
// doc_number without spaces; issued_date ISO (dd/mm/yyyy accepted);
// citizen_ids a JSON array of 9- or 12-digit strings (a JSON array or a
// comma-separated list accepted). Throws std::invalid_argument naming the
// problem for an unknown field or a value that is not valid.
std::string normalize_correction(const std::string& field, const std::string& value);

}  // namespace sohoa::metadata
