// The image type every restoration function in ocr/ takes: an 8-bit,
// single-channel grey image (CV_8UC1), paper light and ink dark.
#pragma once

#include <opencv2/core.hpp>

namespace sohoa::ocr {

// Returns when `grey` is a non-empty CV_8UC1 image; otherwise throws
// std::invalid_argument("FUNCTION: expected a non-empty 8-bit grey image").
void require_grey(const cv::Mat& grey, const char* function);

}  // namespace sohoa::ocr
