// Stage: a sheet photographed at an angle (ocr/perspective.h) warped flat
// before orientation; records `flattened`. A sheet that fills the frame, or
// lies square but turned (deskew's job), passes unchanged.
#pragma once

#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

class PerspectiveStage : public PageStage {
 public:
  const char* name() const override;
  Page run(Page page) override;
};

}  // namespace sohoa::pipeline
