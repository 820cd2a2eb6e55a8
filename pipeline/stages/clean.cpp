#include "pipeline/stages/clean.h"

#include "ocr/cleanup.h"

namespace sohoa::pipeline {

CleanStage::CleanStage() = default;

const char* CleanStage::name() const { return "clean"; }

Page CleanStage::run(Page page) {
  if (page.image.empty()) return page;
  page.unclean = page.image;
  page.image = ocr::clean_page(page.image, page.dpi);
  return page;
}

}  // namespace sohoa::pipeline
