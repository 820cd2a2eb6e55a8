#include "pipeline/stages/colour.h"

#include "ocr/colour.h"

namespace sohoa::pipeline {

const char* ColourStage::name() const { return "colour"; }

Page ColourStage::run(Page page) {
  if (!page.colour.empty() && page.colour.size() == page.image.size() &&
      ocr::colour_share(page.colour) >= kMinColourShare) {
    page.image = ocr::grey_without_colour(page.colour, page.image);
  }
  page.colour.release();
  return page;
}

}  // namespace sohoa::pipeline
