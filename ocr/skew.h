// Skew of a page's text lines, and the rotation that undoes it.
//
// Every function here takes an 8-bit grey image (CV_8UC1, paper light, ink
// dark) of any size, returns a new image and leaves its input untouched; an
// empty image or another type throws std::invalid_argument (ocr/grey.h).
// Resolutions are in dots per inch.
// Angles are in degrees, positive counter-clockwise (lines rising to the
// right). A page with too little text is not an error: found is false.
#pragma once

#include <opencv2/core.hpp>

#include "ocr/restore_ink.h"

namespace sohoa::ocr {

struct SkewEstimate {
  double angle_deg = 0;  // + when text lines rise to the right (content turned counter-clockwise)
  bool found = false;    // false when the page has too little text to tell
};

// Direction of the text lines of `grey` (CV_8UC1, any size and dpi), searched
// over [min_deg, max_deg] (a range up to 180° wide; use [-90, 90) to learn
// whether lines run across or down the page). Method: the projection profile
// of the ink onto the line normal is sharpest (largest sum of squared
// differences between adjacent bins) at the true angle; coarse search on a
// small image, then refined on a larger one to about 0.02°.
SkewEstimate estimate_line_angle(const cv::Mat& grey, double min_deg, double max_deg);

// The same, on ink already extracted, for callers that reuse it.
SkewEstimate estimate_line_angle(const PageInk& ink, double min_deg, double max_deg);

// Skew of an upright page within ±max_deg (clamped to [0, 45]).
SkewEstimate estimate_skew(const cv::Mat& grey, double max_deg = 45.0);

// `grey` turned clockwise by `angle_deg` (undoing a skew of angle_deg) and
// scaled by `scale`, in one bilinear resampling about the image centre
// (bicubic reads no better at 300 dpi and costs three times as much). The
// output is the input size times `scale` (> 0, else std::invalid_argument);
// uncovered corners get `fill` (0..255).
cv::Mat rotate_and_scale(const cv::Mat& grey, double angle_deg, double scale, int fill);

}  // namespace sohoa::ocr
