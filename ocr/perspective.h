// A page photographed at an angle: its four corners found and the sheet
// warped flat, as phone-scanner apps do.
#pragma once

#include <array>
#include <opencv2/core.hpp>

namespace sohoa::ocr {

struct PageQuad {
  // Corners of the sheet in image pixels: top-left, top-right, bottom-right,
  // bottom-left.
  std::array<cv::Point2f, 4> corners{};
  bool found = false;  // a sheet with four clear corners against a darker background
};

// The sheet of `grey` (CV_8UC1; throws std::invalid_argument otherwise):
// paper brighter than what is around it, found on a copy about 600 px long
// (Otsu, closed over the text), its outline simplified to four corners.
// found only when the quad is convex, covers 25–97% of the image and every
// corner lies inside it (a sheet that fills the frame needs no warp).
PageQuad find_page_quad(const cv::Mat& grey);

// Whether `quad` is seen in perspective: opposite sides differ in length by
// more than 2%, or a corner's angle by more than 2° from 90°. A sheet merely
// turned on the platen (a rectangle) is not: deskew measures and undoes that.
bool in_perspective(const PageQuad& quad);

// `grey` inside `quad` mapped onto an upright rectangle as wide as the
// quad's longer horizontal side and as high as its longer vertical side
// (bicubic homography). Throws std::invalid_argument unless quad.found.
cv::Mat warp_flat(const cv::Mat& grey, const PageQuad& quad);

}  // namespace sohoa::ocr
