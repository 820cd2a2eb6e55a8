// The field re-read stage: after OCR, the regions of the page holding a
// number, date, dossier code or citizen id read unsurely
// (metadata::reread_regions) are cut from the restored page and read again
// on their own as single lines, larger, twice: by the page's model at 2x
// and by the other Vietnamese model (or the same one at 3x when only one
// is installed). The readings go into text.rereads; the extractor takes a
// value from them only when they agree and are sure.
//
// The line engines (two models, or one read at two scales) are loaded on
// the first page that has such a region, once per stage (per worker): a run
// whose pages are all read surely never pays for them.
#pragma once

#include <memory>
#include <vector>

#include "ocr/line_reader.h"
#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

class RereadStage : public PageStage {
 public:
  // `reader`: the options the page was read with (its model). Checks that
  // both models' files are present, loading nothing; one that is not found
  // where Tesseract looks is loaded now, so that a model Tesseract cannot
  // load throws ocr::OcrError here, at the start of a run.
  explicit RereadStage(const ocr::ReaderOptions& reader = {});
  const char* name() const override { return "reread"; }
  // Writes text.rereads (one Reread per region, readings in a fixed order).
  // A page without an image or without such regions passes unchanged. Throws
  // ocr::OcrError (the page fails) when an engine that was not loaded yet
  // cannot be loaded now (its model file went away during the run).
  Page run(Page page) override;
  // How many line engines are loaded so far (at most 2; 1 when one model
  // reads both times).
  int engines_loaded() const;

 private:
  struct Engine {
    ocr::ReaderOptions options;
    std::unique_ptr<ocr::LineReader> reader;  // null until first needed
  };
  struct Reading {
    size_t engine;  // index into engines_
    double scale;
  };
  ocr::LineReader& engine(size_t index);
  std::vector<Engine> engines_;
  std::vector<Reading> readings_;
};

}  // namespace sohoa::pipeline
