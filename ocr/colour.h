// Colour pages to the grey the OCR reads: black print kept, coloured ink
// (red seals, blue handwriting and signatures, coloured paper or bands)
// faded towards the paper.
#pragma once

#include <opencv2/core.hpp>

namespace sohoa::ocr {

// Share of the pixels of `rgb` (CV_8UC3, any channel order) that are clearly
// coloured: chroma (largest minus smallest channel) of 64 or more, sampled on
// a grid. 0 for an empty image; throws std::invalid_argument for another type.
double colour_share(const cv::Mat& rgb);

// Grey of `rgb` (CV_8UC3, non-empty) given its `luminance` (CV_8UC1, the
// same size; throws std::invalid_argument otherwise), in which each clearly coloured pixel is its
// brightest channel: black print is dark in every channel and stays dark; red, blue and green ink
// and coloured paper are bright in at least one and fade. Neutral pixels keep their luminance, and
// faintly coloured ones (JPEG and sub-pixel fringes around black print) a blend of both. Black
// print under a red seal stays black. A pixel is as coloured as its 5×5 neighbourhood
// allows (twice its chroma): the complementary sub-pixel fringes of a screenshot's black
// letters (ClearType) average to grey there and keep their luminance.
cv::Mat grey_without_colour(const cv::Mat& rgb, const cv::Mat& luminance);

}  // namespace sohoa::ocr
