// A page photographed curved (a bound or rolled sheet, a page lifted off the
// table): its text lines traced as smooth curves and the page remapped so
// that they run straight, as ScanTailor's and page-dewarp's dewarping do.
// Only vertical displacement is undone (the lines' bending); the small
// horizontal foreshortening of a curved sheet is left, Tesseract reads it.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

namespace sohoa::ocr {

// One traced text line: y = c0 + c1 t + c2 t² + c3 t³ with t = (x - x_mid) / half_span,
// over x in [x0, x1] (pixels of the image it was traced on).
struct TextLineCurve {
  double x0 = 0, x1 = 0;
  cv::Vec4d coeffs{};
  int points = 0;  // midline samples the fit rests on

  double y_at(double x) const;  // clamped to [x0, x1]: no extrapolation of the cubic
  double slope_at(double x) const;
};

struct PageCurvature {
  std::vector<TextLineCurve> lines;  // every traced line, top to bottom
  double x_height = 0;               // px, as given
  // How far, in x-heights, the long lines bend away from straight: the median
  // over lines spanning half the text width of the cubic's largest distance
  // from the line's own least-squares straight line.
  double bend = 0;
  // The spread (10th to 90th percentile), in x-heights over the text width, of
  // the long lines' mean slopes: lines fanning out as on a sheet curved away.
  double fan = 0;
  int long_lines = 0;
  bool curved = false;  // enough long lines, and bend or fan over its threshold
};

// Traces the text lines of the upright, deskewed page `grey` (CV_8UC1, paper
// light; another type or an empty image throws std::invalid_argument) whose
// lowercase letters are about `x_height` px high (> 0, else
// std::invalid_argument): ink by a local threshold, letter-sized marks smeared
// along the row into words, each word's midline sampled, words chained into
// lines by position and slope, each line fitted by a robust cubic. curved is
// true only with at least 6 lines spanning half the text width, and bend ≥
// kDewarpBend or fan ≥ kDewarpFan: a flat page (its residual skew is a
// straight line, not a bend) is not curved.
PageCurvature measure_curvature(const cv::Mat& grey, double x_height);

inline constexpr double kDewarpBend = 0.45;  // x-heights
inline constexpr double kDewarpFan = 1.6;    // x-heights over the text width

// `grey` remapped (bicubic, paper-grey fill) so that every traced line of
// `curvature` runs level at its own mean height; between lines the vertical
// shift is interpolated, above the first and below the last it is held. Same
// size as `grey`. Returns a copy of `grey` when curvature has no lines.
cv::Mat dewarp(const cv::Mat& grey, const PageCurvature& curvature);

}  // namespace sohoa::ocr
