#include "ocr/skew.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

#include "ocr/grey.h"
#include "ocr/restore_ink.h"

namespace sohoa::ocr {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr std::size_t kMinInk = 200;

// Sharpness of the ink's projection onto the normal of lines at `angle_deg`:
// text lines make tall narrow peaks, whose edges give large differences.
double profile_sharpness(const InkPoints& ink, double angle_deg, std::vector<float>& bins) {
  const double a = angle_deg * kPi / 180;
  const float c = static_cast<float>(std::cos(a)), s = static_cast<float>(std::sin(a));
  const float half = std::hypot(ink.size.width, ink.size.height) / 2.0f + 2;
  bins.assign(static_cast<std::size_t>(2 * half) + 2, 0.0f);
  const std::size_t n = ink.x.size();
  const float* xs = ink.x.data();
  const float* ys = ink.y.data();
  // Each pixel shared between its two nearest bins: plain rounding aliases
  // with the pixel grid near 45° and fakes sharp profiles there.
  for (std::size_t i = 0; i < n; ++i) {
    float v = ys[i] * c + xs[i] * s + half;
    int bin = static_cast<int>(v);
    float share = v - bin;
    bins[bin] += 1 - share;
    bins[bin + 1] += share;
  }
  double sum = 0;
  for (std::size_t i = 1; i < bins.size(); ++i) {
    double d = static_cast<double>(bins[i]) - bins[i - 1];
    sum += d * d;
  }
  return sum;
}

struct Peak {
  double angle;
  double score;
};

Peak sweep(const InkPoints& ink, double from, double to, double step) {
  std::vector<float> bins;
  std::vector<double> angles, scores;
  for (double a = from; a <= to + 1e-9; a += step) {
    angles.push_back(a);
    scores.push_back(profile_sharpness(ink, a, bins));
  }
  auto best = std::max_element(scores.begin(), scores.end()) - scores.begin();
  Peak peak{angles[best], scores[best]};
  // A parabola through the best and its neighbours places the peak between samples.
  if (best > 0 && best + 1 < static_cast<long>(scores.size())) {
    double l = scores[best - 1], m = scores[best], r = scores[best + 1];
    double denom = l - 2 * m + r;
    if (denom < 0) peak.angle += 0.5 * step * (l - r) / denom;
  }
  return peak;
}

}  // namespace

SkewEstimate estimate_line_angle(const cv::Mat& grey, double min_deg, double max_deg) {
  return estimate_line_angle(page_ink(grey), min_deg, max_deg);
}

SkewEstimate estimate_line_angle(const PageInk& ink, double min_deg, double max_deg) {
  SkewEstimate result;
  const InkPoints& fine = ink.fine;
  if (ink.coarse.x.size() < kMinInk / 16 || fine.x.size() < kMinInk) return result;
  Peak peak = sweep(ink.coarse, min_deg, max_deg, 0.5);
  peak = sweep(fine, peak.angle - 0.6, peak.angle + 0.6, 0.1);
  peak = sweep(fine, peak.angle - 0.08, peak.angle + 0.08, 0.02);
  result.angle_deg = peak.angle;
  result.found = true;
  return result;
}

SkewEstimate estimate_skew(const cv::Mat& grey, double max_deg) {
  max_deg = std::clamp(max_deg, 0.0, 45.0);
  return estimate_line_angle(grey, -max_deg, max_deg);
}

cv::Mat rotate_and_scale(const cv::Mat& grey, double angle_deg, double scale, int fill) {
  require_grey(grey, "rotate_and_scale");
  if (!(scale > 0)) throw std::invalid_argument("rotate_and_scale: scale must be positive");
  cv::Size out_size(static_cast<int>(std::lround(grey.cols * scale)),
                    static_cast<int>(std::lround(grey.rows * scale)));
  cv::Point2f centre(grey.cols / 2.0f, grey.rows / 2.0f);
  // OpenCV turns counter-clockwise for positive angles; undoing a skew turns clockwise.
  cv::Mat m = cv::getRotationMatrix2D(centre, -angle_deg, scale);
  m.at<double>(0, 2) += out_size.width / 2.0 - centre.x;
  m.at<double>(1, 2) += out_size.height / 2.0 - centre.y;
  cv::Mat out;
  // Enlarging interpolates strokes from few pixels: bicubic keeps them sharper.
  const int interpolation = scale > 1.2 ? cv::INTER_CUBIC : cv::INTER_LINEAR;
  cv::warpAffine(grey, out, m, out_size, interpolation, cv::BORDER_CONSTANT, cv::Scalar(fill));
  return out;
}

}  // namespace sohoa::ocr
