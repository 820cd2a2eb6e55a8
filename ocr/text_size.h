// The size of a page's printed text, and the resolution it implies.
//
// A file's dpi says nothing about a photo (a phone's 576×960 A4 page claims
// 72 or 300 dpi and is about 70), so the restoration sizes itself by the text.
#pragma once

#include <opencv2/core.hpp>

namespace sohoa::ocr {

// The x-height, in pixels at 300 dpi, of the body text of Vietnamese official
// documents: 13–14 pt Times-like type (Decree 30/2020): Times New Roman and
// TeX Gyre Termes have an x-height of 0.45 em, 24–26 px at 300 dpi.
inline constexpr double kXHeightAt300Dpi = 25.0;

struct TextSize {
  double x_height = 0;  // px in the image: the commonest height of lowercase letters
  int text_dpi = 0;     // the resolution at which that x-height is 13 pt body text
  int letters = 0;      // letter-like marks measured
  bool found = false;   // false: too few letter-like marks (blank page, photo, huge text)
};

// Text size of an upright page `grey` (CV_8UC1; any other type or an empty
// image throws std::invalid_argument). Method: ink after flattening the light
// (a window sized to the image, so any text size survives), 8-connected marks
// that look like letters (not touching the edge, not a line or a blob, at
// least 3 px high), then the peak of their height histogram, smoothed; the
// peak must be the lowercase band (the x-height), not the capitals', so the
// lowest clear peak is taken. found is false, and text_dpi 0, when fewer than
// 40 letter-like marks agree on it, or when the marks of that height do not
// sit on common baselines (a photo's blobs).
TextSize estimate_text_size(const cv::Mat& grey);

// The factor that brings text of `text_dpi` to `target_dpi`, clamped to
// [0.25, 4] and so that the scaled page stays under `max_pixels`.
double text_scale(const cv::Size& size, int text_dpi, int target_dpi, double max_pixels = 60e6);

}  // namespace sohoa::ocr
