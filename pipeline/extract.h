// The extract stage: a document's metadata (Decree 30/2020 layout) from the
// OCR layout of its pages, and the unit that issued it.
#pragma once

#include <string>
#include <vector>

#include "ocr/page_text.h"
#include "storage/records.h"

namespace sohoa::pipeline {

struct Extraction {
  std::vector<storage::Field> fields;       // SPEC names; absent fields omitted
  std::string issuer_unit;                  // resolved unit code; empty when unresolved
  std::vector<std::string> review_reasons;  // e.g. "doc_number missing"
};

class MetadataExtractor {
 public:
  explicit MetadataExtractor(std::vector<storage::Unit> units);
  Extraction extract(const std::vector<ocr::PageText>& pages,
                     const std::string& station_unit) const;

 private:
  std::vector<storage::Unit> units_;
};

}  // namespace sohoa::pipeline
