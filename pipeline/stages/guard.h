// The line guard stage: after OCR, the lines the page read unsurely are read
// again on their own from the page as it was before clean-up (page.unclean,
// the same pixels' places), and the surer reading of each is kept
// (ocr/line_guard.h). Clean-up helps most pages; on a line where it erased
// or broke what the ink said, the page as scanned reads better.
#pragma once

#include <memory>

#include "ocr/line_guard.h"
#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

class GuardStage : public PageStage {
 public:
  // `reader`: the options the page was read with (its model). Its engine
  // starts at the first page with an unsure line; throws ocr::OcrError then
  // when Tesseract cannot start.
  explicit GuardStage(ocr::ReaderOptions reader = {}, ocr::LineGuardOptions options = {});
  const char* name() const override { return "guard"; }
  // Rewrites the unsure lines of text whose re-reading is surer and
  // releases unclean. A page without unclean (clean-up did not run) or
  // without unsure lines keeps its text.
  Page run(Page page) override;

 private:
  ocr::ReaderOptions reader_options_;
  ocr::LineGuardOptions options_;
  std::unique_ptr<ocr::LineReader> reader_;
};

}  // namespace sohoa::pipeline
