#include "ocr/grey.h"

#include <stdexcept>
#include <string>

namespace sohoa::ocr {

void require_grey(const cv::Mat& grey, const char* function) {
  if (grey.empty() || grey.type() != CV_8UC1)
    throw std::invalid_argument(std::string(function) + ": expected a non-empty 8-bit grey image");
}

}  // namespace sohoa::ocr
