// The OCR stage: reads the restored page's words with Tesseract.
#pragma once

#include "ocr/tesseract_reader.h"
#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

class RecognizeStage : public PageStage {
 public:
  explicit RecognizeStage(ocr::ReaderOptions options = {}) : reader_(std::move(options)) {}
  const char* name() const override { return "ocr"; }
  Page run(Page page) override;

 private:
  ocr::TesseractReader reader_;
};

}  // namespace sohoa::pipeline
