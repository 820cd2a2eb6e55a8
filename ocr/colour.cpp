#include "ocr/colour.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace sohoa::ocr {
namespace {

constexpr int kColourful = 64;     // chroma of seal or ballpoint ink, not of JPEG fringes
constexpr int kNeighbourhood = 5;  // px: wider than a pair of sub-pixel fringes

void check_colour(const cv::Mat& rgb, const char* who) {
  if (rgb.type() != CV_8UC3) throw std::invalid_argument(std::string(who) + ": expected CV_8UC3");
}

}  // namespace

double colour_share(const cv::Mat& rgb) {
  if (rgb.empty()) return 0;
  check_colour(rgb, "colour_share");
  const int step = std::max(1, std::max(rgb.cols, rgb.rows) / 800);
  long coloured = 0, total = 0;
  for (int r = 0; r < rgb.rows; r += step) {
    const cv::Vec3b* row = rgb.ptr<cv::Vec3b>(r);
    for (int c = 0; c < rgb.cols; c += step, ++total) {
      const cv::Vec3b& p = row[c];
      int high = std::max({p[0], p[1], p[2]}), low = std::min({p[0], p[1], p[2]});
      coloured += high - low >= kColourful;
    }
  }
  return total ? double(coloured) / total : 0;
}

cv::Mat grey_without_colour(const cv::Mat& rgb, const cv::Mat& luminance) {
  if (rgb.empty()) throw std::invalid_argument("grey_without_colour: empty image");
  check_colour(rgb, "grey_without_colour");
  if (luminance.type() != CV_8UC1 || luminance.size() != rgb.size())
    throw std::invalid_argument("grey_without_colour: luminance must be CV_8UC1 of the same size");
  // Weight of the brightest channel against the luminance, by chroma: none
  // under kFaint (JPEG and sub-pixel fringes of black print keep their
  // grey), all from kColourful up (ink and coloured paper).
  constexpr int kFaint = 32;
  uchar weight[256];
  for (int chroma = 0; chroma < 256; ++chroma)
    weight[chroma] =
        static_cast<uchar>(std::clamp((chroma - kFaint) * 255 / (kColourful - kFaint), 0, 255));
  // Sub-pixel rendering (ClearType screenshots) and lens fringes colour the
  // edges of black print strongly, but in complementary pairs a pixel or two
  // apart (orange one side, blue the other): averaged over a few pixels they
  // are grey, while ink keeps its colour. A pixel counts as coloured only as
  // far as its neighbourhood is; fading fringes would thin every letter.
  cv::Mat around;
  cv::blur(rgb, around, cv::Size(kNeighbourhood, kNeighbourhood));
  cv::Mat grey(rgb.size(), CV_8UC1);
  for (int r = 0; r < rgb.rows; ++r) {
    const cv::Vec3b* in = rgb.ptr<cv::Vec3b>(r);
    const cv::Vec3b* near = around.ptr<cv::Vec3b>(r);
    const uchar* lum = luminance.ptr<uchar>(r);
    uchar* out = grey.ptr<uchar>(r);
    for (int c = 0; c < rgb.cols; ++c) {
      const cv::Vec3b& p = in[c];
      int high = std::max({p[0], p[1], p[2]}), low = std::min({p[0], p[1], p[2]});
      const cv::Vec3b& q = near[c];
      int near_chroma = std::max({q[0], q[1], q[2]}) - std::min({q[0], q[1], q[2]});
      int luma = lum[c];
      // Ink strokes thinner than the window lose part of their chroma to the
      // paper around them: twice the window's chroma is still theirs.
      int w = weight[std::min(high - low, 2 * near_chroma)];
      out[c] = static_cast<uchar>((luma * (255 - w) + high * w) / 255);
    }
  }
  return grey;
}

}  // namespace sohoa::ocr
