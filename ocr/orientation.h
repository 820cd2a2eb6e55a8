// Which way up a page is: 0, 90, 180 or 270, the SPEC's `rotation` (how far
// the scanned page is turned counter-clockwise from upright).
//
// Every function here takes an 8-bit grey image (CV_8UC1, paper light, ink
// dark) of any size, returns a new image and leaves its input untouched; an
// empty image or another type throws std::invalid_argument (ocr/grey.h).
// Resolutions are in dots per inch.
#pragma once

#include <memory>
#include <opencv2/core.hpp>

namespace tesseract {
class TessBaseAPI;
}

namespace sohoa::ocr {

struct Orientation {
  int rotation = 0;        // 0/90/180/270, counter-clockwise from upright
  double skew_deg = 0;     // remaining angle once turned upright, within ±45
  double confidence = 0;   // 0..1: how clearly the page's text says which way is up
  bool confident = false;  // false: too little text, or the signal was ambiguous
};

// Fast orientation from the page's own text, for Latin-script (Vietnamese)
// pages. The direction of the text lines (over 180°) tells across from down;
// then, along each line, ink above the x-height band (ascenders, capitals,
// Vietnamese tone marks, circumflexes, breves) outweighs ink below it
// (descenders, the dot below) when the line is the right way up. When the
// lines cannot be measured, returns rotation 0, not confident.
Orientation detect_orientation(const cv::Mat& grey);

// Tesseract's orientation and script detection (the `osd` model), as a second
// opinion for pages the fast signal cannot decide. One instance per thread.
class OsdDetector {
 public:
  OsdDetector();  // throws std::runtime_error when the osd model is missing
  ~OsdDetector();
  OsdDetector(const OsdDetector&) = delete;
  OsdDetector& operator=(const OsdDetector&) = delete;

  // `grey` should be roughly free of skew. confident = Tesseract's orientation
  // confidence is high enough to act on.
  Orientation detect(const cv::Mat& grey, int dpi);

 private:
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

// `grey` turned clockwise by `rotation` (any multiple of 90, negative ones
// too; otherwise std::invalid_argument), losslessly: upright. An empty image
// gives an empty image.
cv::Mat turn_upright(const cv::Mat& grey, int rotation);

// `grey` turned counter-clockwise by `rotation`: the inverse of turn_upright.
cv::Mat turn_counter_clockwise(const cv::Mat& grey, int rotation);

}  // namespace sohoa::ocr
