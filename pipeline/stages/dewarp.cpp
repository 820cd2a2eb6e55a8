#include "pipeline/stages/dewarp.h"

#include "ocr/dewarp.h"
#include "ocr/text_size.h"

namespace sohoa::pipeline {

const char* DewarpStage::name() const { return "dewarp"; }

Page DewarpStage::run(Page page) {
  if (page.image.empty() || page.text_dpi <= 0 || page.dpi <= 0) return page;
  // Deskew left the image at `dpi` as judged from its text: the x-height follows.
  const double x_height = ocr::kXHeightAt300Dpi * page.dpi / 300.0;
  const ocr::PageCurvature curvature = ocr::measure_curvature(page.image, x_height);
  if (!curvature.curved) return page;
  page.image = ocr::dewarp(page.image, curvature);
  page.dewarped = true;
  return page;
}

}  // namespace sohoa::pipeline
