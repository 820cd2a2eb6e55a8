// Stage: measures the upright page's skew (±45°), records `skew_deg`, and
// undoes it, scaling pages under 300 dpi up in the same resampling.
// A skew already on the page (non-zero `skew_deg`) is taken as measured:
// OrientStage measures it, with the same estimator, while finding which way
// the lines run, and measuring twice would cost a page's worth of work.
#pragma once

#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

class DeskewStage : public PageStage {
 public:
  DeskewStage();
  const char* name() const override;
  Page run(Page page) override;
};

}  // namespace sohoa::pipeline
