// Ink of a page at a reduced working scale, as the restoration algorithms
// see it: text-like dark marks only, so that scanner borders, photos and
// stamps do not steer the angle estimates.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

namespace sohoa::ocr {

struct InkPoints {
  std::vector<float> x;  // coordinates of ink pixels, relative to the image centre,
  std::vector<float> y;  // in working pixels (y grows downwards)
  double scale = 1;      // working pixels per source pixel
  cv::Size size;         // working image size
};

// Ink pixels of `grey` (CV_8UC1, any size) after shrinking it so that its long
// side is at most `long_side` px. Light is flattened first (uneven lighting,
// grey paper), then marks that touch the image edge or are thick blobs larger
// than a few text lines are left out.
InkPoints text_ink(const cv::Mat& grey, int long_side);

// The paper's grey level: a high percentile of the image, used to fill areas
// uncovered by rotation.
int paper_level(const cv::Mat& grey);

}  // namespace sohoa::ocr
