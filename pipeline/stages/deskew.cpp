#include "pipeline/stages/deskew.h"

#include <cmath>

#include "ocr/restore_ink.h"
#include "ocr/skew.h"
#include "ocr/text_size.h"

namespace sohoa::pipeline {
namespace {

constexpr int kFallbackDpi = 300;          // pages whose text cannot be measured
constexpr double kNegligibleSkew = 0.02;   // degrees: below the estimator's resolution
constexpr double kNegligibleScale = 0.06;  // a resampling costs more than this gains
// Over this skew a letter's box is measurably taller than the letter: the
// text is measured on the page turned level.
constexpr double kMeasureLevelAbove = 4.0;

// The text_dpi the page is read at: the sharpness is measured only where it
// can matter, on pages with resolution to spare.
int target_dpi(const cv::Mat& upright, int text_dpi, int read_dpi, int sharp_read_dpi) {
  if (sharp_read_dpi >= read_dpi) return read_dpi;
  const double edge = text_dpi >= ocr::kWellResolvedDpi ? ocr::ink_edge_width(upright) : 0.0;
  return ocr::reading_dpi(text_dpi, edge, read_dpi, sharp_read_dpi);
}

}  // namespace

DeskewStage::DeskewStage(int read_dpi, int sharp_read_dpi)
    : read_dpi_(read_dpi), sharp_read_dpi_(sharp_read_dpi) {}

const char* DeskewStage::name() const { return "deskew"; }

Page DeskewStage::run(Page page) {
  if (page.image.empty()) return page;
  if (page.skew_deg == 0) {
    ocr::SkewEstimate skew = ocr::estimate_skew(page.image);
    page.skew_deg = skew.found ? std::round(skew.angle_deg * 100) / 100 : 0.0;
  }
  const int fill = ocr::paper_level(page.image);
  double skew = page.skew_deg;
  if (std::abs(skew) > kMeasureLevelAbove) {
    page.image = ocr::rotate_and_scale(page.image, skew, 1.0, fill);
    skew = 0;
  }
  const ocr::TextSize size = ocr::estimate_text_size(page.image);
  page.text_dpi = size.found ? size.text_dpi : 0;
  double scale = 1.0;
  if (size.found) {
    const int target = target_dpi(page.image, size.text_dpi, read_dpi_, sharp_read_dpi_);
    scale = ocr::text_scale(page.image.size(), size.text_dpi, target);
  } else if (page.dpi > 0 && page.dpi < kFallbackDpi) {
    scale = ocr::text_scale(page.image.size(), page.dpi, kFallbackDpi);
  }
  if (std::abs(scale - 1.0) < kNegligibleScale) scale = 1.0;
  if (std::abs(skew) < kNegligibleSkew && scale == 1.0) {
    if (size.found) page.dpi = size.text_dpi;
    return page;
  }
  // One resampling for both: every interpolation blurs the strokes a little.
  page.image = ocr::rotate_and_scale(page.image, skew, scale, fill);
  page.dpi = static_cast<int>(std::lround((size.found ? size.text_dpi : page.dpi) * scale));
  return page;
}

}  // namespace sohoa::pipeline
