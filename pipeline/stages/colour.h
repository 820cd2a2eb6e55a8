// Stage: a colour page's grey made from its colour (ocr/colour.h), so red
// seals, blue handwriting and coloured backgrounds fade from the black print;
// pages with (almost) no coloured pixels keep the loader's grey. Releases
// `colour` either way: no later stage needs it.
#pragma once

#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

class ColourStage : public PageStage {
 public:
  // Pages with at least this share of clearly coloured pixels are re-greyed:
  // a seal or a signature covers about 0.3% of a page; JPEG colour fringes
  // around black print stay far under it.
  static constexpr double kMinColourShare = 0.001;

  const char* name() const override;
  Page run(Page page) override;
};

}  // namespace sohoa::pipeline
