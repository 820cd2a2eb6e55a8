// Stage: measures the upright page's skew (±45°), records `skew_deg`, and
// undoes it, scaling pages under 300 dpi up in the same resampling.
#pragma once

#include "pipeline/page.h"

namespace sohoa::pipeline {

class DeskewStage : public PageStage {
 public:
  DeskewStage();
  const char* name() const override;
  Page run(Page page) override;
};

}  // namespace sohoa::pipeline
