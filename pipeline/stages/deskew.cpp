#include "pipeline/stages/deskew.h"

#include <cmath>

#include "ocr/skew.h"
#include "ocr/restore_ink.h"

namespace sohoa::pipeline {
namespace {

constexpr int kTargetDpi = 300;
constexpr double kNegligibleSkew = 0.02;  // degrees: below the estimator's resolution

}  // namespace

DeskewStage::DeskewStage() = default;

const char* DeskewStage::name() const { return "deskew"; }

Page DeskewStage::run(Page page) {
  if (page.image.empty()) return page;
  if (page.skew_deg == 0) {
    ocr::SkewEstimate skew = ocr::estimate_skew(page.image);
    page.skew_deg = skew.found ? std::round(skew.angle_deg * 100) / 100 : 0.0;
  }
  double scale = page.dpi > 0 && page.dpi < kTargetDpi ? double(kTargetDpi) / page.dpi : 1.0;
  if (std::abs(page.skew_deg) < kNegligibleSkew && scale == 1.0) return page;
  // One resampling for both: every interpolation blurs the strokes a little.
  page.image =
      ocr::rotate_and_scale(page.image, page.skew_deg, scale, ocr::paper_level(page.image));
  if (scale != 1.0) page.dpi = kTargetDpi;
  return page;
}

}  // namespace sohoa::pipeline
