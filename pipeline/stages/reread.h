// The field re-read stage: after OCR, the regions of the page holding a
// number, date, dossier code or citizen id read unsurely
// (metadata::reread_regions) are cut from the restored page and read again
// on their own as single lines, larger, twice: by the page's model at 2x
// and by the other Vietnamese model (or the same one at 3x when only one
// is installed). The readings go into text.rereads; the extractor takes a
// value from them only when they agree and are sure.
#pragma once

#include <memory>
#include <vector>

#include "ocr/line_reader.h"
#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

class RereadStage : public PageStage {
 public:
  // `reader`: the options the page was read with (its model). Throws
  // ocr::OcrError when Tesseract cannot start.
  explicit RereadStage(const ocr::ReaderOptions& reader = {});
  const char* name() const override { return "reread"; }
  // Writes text.rereads (one Reread per region, readings in a fixed order).
  // A page without an image or without such regions passes unchanged.
  Page run(Page page) override;

 private:
  struct Reading {
    std::unique_ptr<ocr::LineReader> reader;
    double scale;
  };
  std::vector<Reading> readings_;
};

}  // namespace sohoa::pipeline
