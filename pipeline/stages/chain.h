// The chain of page stages one worker runs: orient -> deskew -> clean -> OCR,
// then the document-level extract stage. One chain per worker thread.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "metadata/extract.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/page.h"
#include "storage/records.h"

namespace sohoa::pipeline {

class PageChain {
 public:
  // The default chain, with a Tesseract engine of its own.
  static PageChain standard();

  explicit PageChain(std::vector<std::unique_ptr<PageStage>> stages) : stages_(std::move(stages)) {}
  Page run(Page page);

 private:
  std::vector<std::unique_ptr<PageStage>> stages_;
};

// What the worker learned about one document, ready to store.
struct DocumentContext {
  std::string sha256;
  std::string source;
  std::string station;
  std::string unit;
  std::string digitized_at;
};

// Loads `file`, runs every page through `chain`, extracts metadata; a file
// that cannot be read gives a `failed` document carrying the reason.
storage::NewDocument read_document(const std::filesystem::path& file, const DocumentContext& ctx,
                                   PageChain& chain, const MetadataExtractor& extractor,
                                   const LoadOptions& load_options);

// The SPEC page record of a processed page.
storage::PageRecord page_record(const Page& page);

}  // namespace sohoa::pipeline
