// The unit of work that flows through the stages: one page image and what
// the stages learned about it.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "ocr/page_text.h"

namespace sohoa::pipeline {

struct Page {
  int number = 1;      // 1-based page number within its file
  cv::Mat image;       // CV_8UC1 grey, as restored so far
  int dpi = 300;       // resolution of `image`
  int scan_width = 0;  // size of the page as scanned (before restoration)
  int scan_height = 0;
  int scan_dpi = 300;

  // Learned by the restoration stages (SPEC conventions).
  int rotation = 0;     // 0/90/180/270: scanned page turned counter-clockwise from upright
  double skew_deg = 0;  // remaining angle of the upright page, + when lines rise to the right

  ocr::PageText text;              // learned by OCR
  std::vector<std::string> codes;  // QR/barcode contents found on the page
};

// A stage does one job on one page: it takes the page and returns it with
// what it learned. Stages hold no state that depends on earlier pages, so
// one instance per worker thread can run side by side with others.
class PageStage {
 public:
  virtual ~PageStage() = default;
  virtual const char* name() const = 0;
  virtual Page run(Page page) = 0;
};

}  // namespace sohoa::pipeline
