// Stage: turns the page upright (0/90/180/270) and records `rotation`.
#pragma once

#include <memory>

#include "pipeline/stages/page.h"

namespace sohoa::ocr {
class OsdDetector;
}

namespace sohoa::pipeline {

// Decides from the page's own text (ocr::detect_orientation); when that is
// not confident, asks Tesseract OSD; turns the page only when one of them is
// confident. The turn is lossless (a multiple of 90°). The OSD engine is
// loaded on the first page that needs it (once per stage): pages whose own
// text is clear never pay for it.
class OrientStage : public PageStage {
 public:
  OrientStage();
  ~OrientStage() override;
  const char* name() const override;
  Page run(Page page) override;

 private:
  ocr::OsdDetector* osd();  // loads it once; null when the osd model is missing
  std::unique_ptr<ocr::OsdDetector> osd_;
  bool osd_tried_ = false;
};

}  // namespace sohoa::pipeline
