// Metadata extraction: reads the SPEC's metadata fields from the OCR layout
// of a document's pages, following the Decree 30/2020/NĐ-CP layout (issuing
// body top left, "Số:" under it, national name and motto top right with the
// place and date under them, the title centred, the signer block bottom
// right), and resolves the issuing unit against the units registry.
#pragma once

#include <string>
#include <vector>

#include "metadata/unit_resolver.h"
#include "ocr/page_text.h"
#include "storage/records.h"

namespace sohoa::metadata {

struct Extraction {
  // SPEC metadata names (storage::metadata_field_names()), absent fields
  // omitted; citizen_ids is a JSON array string like ["054236051354"];
  // confidence 0..1.
  std::vector<storage::Field> fields;
  // Resolved unit code; the station's unit when the text names none, and
  // empty only when that is empty too.
  std::string issuer_unit;
  // Why a person should look, e.g. "doc_number missing", "issuer ambiguous",
  // "issued_date not read: letter in a digit position".
  std::vector<std::string> review_reasons;
  // Fields printed on the page but not read with certainty (digits unsure,
  // written by hand), left out of `fields`: {name, why}.
  std::vector<std::pair<std::string, std::string>> doubts;

  // The value of a field, or nullptr when absent.
  const storage::Field* field(const std::string& name) const;
};

// Fields a document must have, read with at least kReviewThreshold
// confidence, not to go to the review queue. A letter (its subject opens
// with "V/v") needs no doc_type: it prints no title (SPEC).
const std::vector<std::string>& required_fields();
constexpr double kReviewThreshold = 0.5;
// Extraction never claims certainty: a field at confidence 1 was set by a
// person (storage gives corrections confidence 1).
constexpr double kMaxExtractedConfidence = 0.999;
// Lowest OCR word confidence (0..1) at which the digits of a number or date
// are taken as read; below it the field is left null for a person.
constexpr double kDigitSure = 0.6;

class MetadataExtractor {
 public:
  explicit MetadataExtractor(std::vector<storage::Unit> units);

  // pages: OCR layout of each page in order. station_unit: the --unit of the
  // scanning station (fallback issuer). Thread-safe const call.
  Extraction extract(const std::vector<ocr::PageText>& pages,
                     const std::string& station_unit) const;

  // The issuing unit and review reasons for fields as they stand (e.g. an
  // extraction with a person's corrections laid over it).
  // `doubts`: fields an extraction saw but could not read (Extraction::doubts)
  // and that no person has set since; each keeps the document in review.
  Extraction assess(std::vector<storage::Field> fields, const std::string& station_unit,
                    std::vector<std::pair<std::string, std::string>> doubts = {}) const;

  const UnitResolver& resolver() const { return resolver_; }

 private:
  UnitResolver resolver_;
};

}  // namespace sohoa::metadata
