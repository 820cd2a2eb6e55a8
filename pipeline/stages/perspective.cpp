#include "pipeline/stages/perspective.h"

#include "ocr/perspective.h"

namespace sohoa::pipeline {

const char* PerspectiveStage::name() const { return "perspective"; }

Page PerspectiveStage::run(Page page) {
  if (page.image.empty()) return page;
  const ocr::PageQuad quad = ocr::find_page_quad(page.image);
  if (!ocr::in_perspective(quad)) return page;
  page.image = ocr::warp_flat(page.image, quad);
  page.flattened = true;
  return page;
}

}  // namespace sohoa::pipeline
