// Placeholder until the metadata extractor lands (branch `extract`): no
// fields, and every document is sent to review so nothing passes unchecked.
#include "pipeline/extract.h"

namespace sohoa::pipeline {

MetadataExtractor::MetadataExtractor(std::vector<storage::Unit> units) : units_(std::move(units)) {}

Extraction MetadataExtractor::extract(const std::vector<ocr::PageText>&,
                                      const std::string& station_unit) const {
  Extraction result;
  result.issuer_unit = station_unit;
  result.review_reasons.push_back("metadata extraction not available");
  return result;
}

}  // namespace sohoa::pipeline
