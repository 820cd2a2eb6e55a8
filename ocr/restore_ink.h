// Ink of a page at reduced working scales, as the restoration algorithms see
// it: text-like dark marks only, so that scanner borders, photos and stamps do
// not steer the angle estimates.
//
// Every function here takes an 8-bit grey image (CV_8UC1, paper light, ink
// dark) of any size, returns a new image and leaves its input untouched; an
// empty image or another type throws std::invalid_argument (ocr/grey.h).
// Resolutions are in dots per inch.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

namespace sohoa::ocr {

struct InkPoints {
  std::vector<float> x;  // coordinates of ink pixels, relative to the image centre,
  std::vector<float> y;  // in working pixels (y grows downwards)
  cv::Size size;         // working image size
};

// The page's ink twice: `fine` with a long side of about 2000 px or less
// (about 150 dpi for A4 at 300 dpi), for precise angles and line profiles, and
// `coarse`, about four times smaller, for sweeping wide angle ranges quickly.
struct PageInk {
  InkPoints fine;
  InkPoints coarse;
};

// Ink of `grey` (CV_8UC1, any size, non-empty; throws std::invalid_argument
// otherwise). Light is flattened first (uneven lighting, grey paper), then
// marks that touch the image edge or are thick blobs larger than a few text
// lines are left out.
PageInk page_ink(const cv::Mat& grey);

// `grey` shrunk by an integer `factor` by area averaging (the few rows and
// columns beyond a multiple of the factor are dropped): fast for powers of two.
// A factor ≤ 1 returns `grey` itself. Halving never goes below one pixel; with
// another factor, an image smaller than the factor gives an empty image. Takes CV_8UC1 masks as
// well as pages.
cv::Mat shrink(const cv::Mat& grey, int factor);

// The paper's grey level: a high percentile of the image, used to fill areas
// uncovered by rotation. 255 for an empty image.
int paper_level(const cv::Mat& grey);

}  // namespace sohoa::ocr
