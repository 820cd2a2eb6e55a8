// Stage: dark borders, uneven light, grey paper and speckle removed; pages
// under 300 dpi scaled up (ocr::clean_page). Leaves a grey image.
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
