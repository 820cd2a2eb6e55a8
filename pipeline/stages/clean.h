// Stage: dark borders, uneven light, grey paper and speckle removed
// (ocr::clean_page), sized by `dpi`, the resolution the deskew stage brought
// the text to. Leaves a grey image of the same size, and the image as it got
// it in `unclean` (for the guard stage).
#pragma once

#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

class CleanStage : public PageStage {
 public:
  CleanStage();
  const char* name() const override;
  Page run(Page page) override;
};

}  // namespace sohoa::pipeline
