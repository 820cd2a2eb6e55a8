// The chain of page stages one worker runs: codes -> colour ->
// perspective -> orient -> deskew -> dewarp ->
// clean -> recognize (OCR) -> guard (unsure lines read again from the page before clean-up) ->
// reread (unsure number, date and code lines). One chain per worker
// thread; the document-level steps (split, extract, store) run after it, in pipeline/documents.h.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ocr/tesseract_reader.h"
#include "pipeline/stages/page.h"
#include "storage/records.h"

namespace sohoa::pipeline {

class PageChain {
 public:
  // The default chain, with a Tesseract engine of its own reading with
  // `reader` (the model: ocr::reader_options_for_model).
  static PageChain standard(const ocr::ReaderOptions& reader = {});

  explicit PageChain(std::vector<std::unique_ptr<PageStage>> stages) : stages_(std::move(stages)) {}
  Page run(Page page);

 private:
  std::vector<std::unique_ptr<PageStage>> stages_;
};

// The SPEC page record of a processed page.
storage::PageRecord page_record(const Page& page);

}  // namespace sohoa::pipeline
