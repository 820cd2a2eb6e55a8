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

// The sharpness of a page's print: the median width, in pixels of `grey`
// (CV_8UC1; any other type or an empty image throws std::invalid_argument),
// over which an ink edge rises from 10% to 90% of its contrast, measured
// along sampled rows on edges of at least a third of the paper-to-ink range.
// A crisp scan's edges take 1-1.5 px at any resolution; optical blur of
// Gaussian sigma s widens them to about 2.6 s. 0 when the page has too few
// such edges to tell (blank, faint).
double ink_edge_width(const cv::Mat& grey);

// The text_dpi a page is best read at: `sharp_dpi` for a page that has
// resolution to spare (its text measured at `well_resolved_dpi` or more) and
// crisp edges (`edge_width` in (0, `max_edge_width`] px at its own scale),
// where Tesseract reads as well with fewer pixels and faster; `read_dpi` for
// every other page: small, soft or unmeasured text needs the larger size.
inline constexpr int kWellResolvedDpi = 260;
inline constexpr double kCrispEdgeWidth = 2.2;  // px; blurred 300 dpi scans measure 2.5-2.8
int reading_dpi(int text_dpi, double edge_width, int read_dpi, int sharp_dpi,
                int well_resolved_dpi = kWellResolvedDpi, double max_edge_width = kCrispEdgeWidth);

// The factor that brings text of `text_dpi` to `target_dpi`, clamped to
// [0.25, 4] and so that the scaled page stays under `max_pixels`.
double text_scale(const cv::Size& size, int text_dpi, int target_dpi, double max_pixels = 60e6);

}  // namespace sohoa::ocr
