#include "pipeline/stages/recognize.h"

namespace sohoa::pipeline {

Page RecognizeStage::run(Page page) {
  page.text = reader_.read(page.image, page.dpi);
  return page;
}

}  // namespace sohoa::pipeline
