// Stage: dark borders, uneven light, grey paper and speckle removed
// (ocr::clean_page), sized by `dpi`, the resolution the deskew stage brought
// the text to. Leaves a grey image of the same size.
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
