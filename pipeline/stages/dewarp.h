// Stage: a sheet photographed curved (ocr/dewarp.h) remapped so that its text
// lines run straight, after deskew has brought it level and to reading size;
// records `dewarped`. A flat page passes unchanged, as does one whose text
// size could not be measured (text_dpi 0: no letters to trace).
#pragma once

#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

class DewarpStage : public PageStage {
 public:
  const char* name() const override;
  Page run(Page page) override;
};

}  // namespace sohoa::pipeline
