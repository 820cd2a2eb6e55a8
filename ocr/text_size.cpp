#include "ocr/text_size.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

#include "ocr/restore_ink.h"

namespace sohoa::ocr {
namespace {

constexpr int kWorkLongSide = 3200;  // larger pages are measured at half size or less
constexpr int kMinLetters = 40;
constexpr int kMinHeight = 3;  // px: below this a mark is noise or a diacritic

// Ink of `grey` with the light flattened: each pixel divided by the brightest
// level around it (a window wider than any stroke), then thresholded.
cv::Mat flat_ink(const cv::Mat& grey) {
  const int longest = std::max(grey.cols, grey.rows);
  const int factor = std::max(1, longest / 400);
  // shrink() hands back `grey` itself at factor 1; the dilation must not write into it.
  cv::Mat coarse = factor > 1 ? shrink(grey, factor) : grey.clone();
  cv::dilate(coarse, coarse, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  cv::blur(coarse, coarse, cv::Size(3, 3));
  cv::Mat paper;
  cv::resize(coarse, paper, grey.size(), 0, 0, cv::INTER_LINEAR);
  cv::Mat flat;
  cv::divide(grey, paper, flat, 255);
  cv::Mat ink;
  double otsu = cv::threshold(flat, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::threshold(flat, ink, std::clamp(otsu, 110.0, 215.0), 255, cv::THRESH_BINARY_INV);
  return ink;
}

// Boxes of the letter-like marks of `ink`.
std::vector<cv::Rect> letter_boxes(const cv::Mat& ink) {
  cv::Mat labels, stats, centroids;
  int count =
      cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S, cv::CCL_GRANA);
  const int tallest = std::max(ink.cols, ink.rows) / 15;
  std::vector<cv::Rect> boxes;
  for (int i = 1; i < count; ++i) {
    const int* s = stats.ptr<int>(i);
    int x = s[cv::CC_STAT_LEFT], y = s[cv::CC_STAT_TOP];
    int w = s[cv::CC_STAT_WIDTH], h = s[cv::CC_STAT_HEIGHT];
    if (x == 0 || y == 0 || x + w >= ink.cols || y + h >= ink.rows) continue;
    if (h < kMinHeight || h > tallest) continue;
    // Rules and frames are long and thin; photos and seals are blobs far
    // wider than a word is high; letters fill a fair share of their box.
    if (w > 15 * h || w < 1) continue;
    double fill = double(s[cv::CC_STAT_AREA]) / (double(w) * h);
    if (fill < 0.12 || fill > 0.95) continue;
    boxes.emplace_back(x, y, w, h);
  }
  return boxes;
}

// Whether the marks of about `x_height` sit on text lines: most of them share
// their bottom (the baseline) with two others close by along the line. The
// blobs of a photo or a drawing have heights too, but no baselines.
bool on_baselines(std::vector<cv::Rect> boxes, double x_height) {
  std::erase_if(
      boxes, [&](const cv::Rect& b) { return std::abs(b.height - x_height) > 0.2 * x_height + 1; });
  if (boxes.size() < kMinLetters / 2) return false;
  std::sort(boxes.begin(), boxes.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.br().y < b.br().y; });
  const int tolerance = std::max(1, static_cast<int>(std::lround(0.12 * x_height)));
  const double reach = 12 * x_height;
  std::size_t aligned = 0;
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    int neighbours = 0;
    for (std::size_t j = i; j-- > 0 && boxes[i].br().y - boxes[j].br().y <= tolerance;)
      neighbours += std::abs(boxes[i].x - boxes[j].x) <= reach;
    for (std::size_t j = i + 1; j < boxes.size() && boxes[j].br().y - boxes[i].br().y <= tolerance;
         ++j)
      neighbours += std::abs(boxes[i].x - boxes[j].x) <= reach;
    aligned += neighbours >= 2;
  }
  return aligned >= 0.5 * boxes.size();
}

// The histogram of heights, lightly smoothed, and its peaks.
std::vector<double> smoothed_histogram(const std::vector<int>& heights) {
  int top = *std::max_element(heights.begin(), heights.end());
  std::vector<double> hist(top + 3, 0.0);
  for (int h : heights) hist[h] += 1;
  std::vector<double> smooth(hist.size(), 0.0);
  for (std::size_t i = 1; i + 1 < hist.size(); ++i)
    smooth[i] = 0.25 * hist[i - 1] + 0.5 * hist[i] + 0.25 * hist[i + 1];
  return smooth;
}

// The x-height: the commonest height, unless a clear peak sits about where
// the lowercase band would be under it (the commonest being capitals and
// ascenders, as on pages where low resolution fuses letters into words).
double x_height_of(const std::vector<double>& hist) {
  std::size_t mode = kMinHeight;
  for (std::size_t i = kMinHeight; i < hist.size(); ++i)
    if (hist[i] > hist[mode]) mode = i;
  std::size_t best = mode;
  for (std::size_t i = std::max<std::size_t>(kMinHeight, mode * 55 / 100); i < mode * 82 / 100;
       ++i) {
    bool peak = hist[i] >= hist[i - 1] && hist[i] >= hist[i + 1];
    if (peak && hist[i] >= 0.5 * hist[mode] && (best == mode || hist[i] > hist[best])) best = i;
  }
  // Sub-pixel: the centre of mass of the peak and its neighbours.
  double sum = hist[best - 1] + hist[best] + hist[best + 1];
  return sum > 0
             ? (hist[best - 1] * (best - 1.0) + hist[best] * best + hist[best + 1] * (best + 1.0)) /
                   sum
             : double(best);
}

}  // namespace

TextSize estimate_text_size(const cv::Mat& grey) {
  if (grey.empty() || grey.type() != CV_8UC1)
    throw std::invalid_argument("estimate_text_size: expected a non-empty CV_8UC1 image");
  const int longest = std::max(grey.cols, grey.rows);
  int factor = 1;
  while (longest / factor > kWorkLongSide) factor *= 2;
  TextSize size;
  std::vector<cv::Rect> boxes = letter_boxes(flat_ink(shrink(grey, factor)));
  std::vector<int> heights;
  for (const cv::Rect& b : boxes) heights.push_back(b.height);
  size.letters = static_cast<int>(heights.size());
  if (size.letters < kMinLetters) return size;
  std::vector<double> hist = smoothed_histogram(heights);
  double x_height = x_height_of(hist) * factor;
  // The peak must hold a real share of the marks: a photo's or a drawing's
  // marks spread over every height.
  int near = 0;
  for (int h : heights)
    if (std::abs(h * factor - x_height) <= std::max(1.0, 0.15 * x_height)) ++near;
  if (near < kMinLetters / 2 || near < 0.15 * heights.size()) return size;
  if (!on_baselines(boxes, x_height / factor)) return size;
  size.x_height = x_height;
  size.text_dpi = static_cast<int>(std::lround(300.0 * x_height / kXHeightAt300Dpi));
  size.found = size.text_dpi > 0;
  return size;
}

double ink_edge_width(const cv::Mat& grey) {
  if (grey.empty() || grey.type() != CV_8UC1)
    throw std::invalid_argument("ink_edge_width: expected a non-empty CV_8UC1 image");
  const int paper = paper_level(grey);
  // An edge counts when it spans a third of the page's paper-to-ink range;
  // the ink level is taken as the darkest 1% (0 on a page without ink).
  int histogram[256] = {};
  for (int y = 0; y < grey.rows; y += 8) {
    const uchar* row = grey.ptr<uchar>(y);
    for (int x = 0; x < grey.cols; ++x) ++histogram[row[x]];
  }
  long total = 0, seen = 0;
  for (int v : histogram) total += v;
  int ink = 0;
  while (ink < 255 && (seen += histogram[ink]) < total / 100) ++ink;
  const int min_contrast = std::max(24, (paper - ink) / 3);
  constexpr int kRowStep = 3;
  constexpr int kMaxReach = 12;  // px each side of the steepest step: wider is not an edge
  std::vector<double> widths;
  for (int y = 0; y < grey.rows; y += kRowStep) {
    const uchar* row = grey.ptr<uchar>(y);
    for (int x = 1; x + 1 < grey.cols; ++x) {
      // The steepest point of a falling or rising run.
      int d = int(row[x + 1]) - int(row[x - 1]);
      if (std::abs(d) < 8) continue;
      int dl = int(row[x]) - int(row[x - 1 > 0 ? x - 2 : 0]);
      int dr = x + 2 < grey.cols ? int(row[x + 2]) - int(row[x]) : 0;
      if (std::abs(d) < std::abs(dl) || std::abs(d) <= std::abs(dr)) continue;
      const int sign = d > 0 ? 1 : -1;
      int a = x, b = x;  // the monotonic run through x
      while (a > 0 && x - a < kMaxReach && sign * (int(row[a]) - int(row[a - 1])) > 0) --a;
      while (b + 1 < grey.cols && b - x < kMaxReach && sign * (int(row[b + 1]) - int(row[b])) > 0)
        ++b;
      const int low = row[a], high = row[b];
      const int contrast = sign * (high - low);
      if (contrast < min_contrast || x - a >= kMaxReach || b - x >= kMaxReach) continue;
      // Where the run crosses 10% and 90% of its contrast, interpolated.
      auto crossing = [&](double level) {
        for (int i = a; i < b; ++i) {
          double v0 = sign * (row[i] - low), v1 = sign * (row[i + 1] - low);
          if (v0 <= level && v1 > level) return i + (level - v0) / (v1 - v0);
        }
        return double(b);
      };
      widths.push_back(crossing(0.9 * contrast) - crossing(0.1 * contrast));
      x = b;
    }
  }
  if (widths.size() < 200) return 0;
  std::nth_element(widths.begin(), widths.begin() + widths.size() / 2, widths.end());
  return widths[widths.size() / 2];
}

int reading_dpi(int text_dpi, double edge_width, int read_dpi, int sharp_dpi, int well_resolved_dpi,
                double max_edge_width) {
  const bool resolved = text_dpi >= well_resolved_dpi;
  const bool crisp = edge_width > 0 && edge_width <= max_edge_width;
  return resolved && crisp ? sharp_dpi : read_dpi;
}

double text_scale(const cv::Size& size, int text_dpi, int target_dpi, double max_pixels) {
  if (text_dpi <= 0 || target_dpi <= 0 || size.area() <= 0) return 1.0;
  double scale = std::clamp(double(target_dpi) / text_dpi, 0.25, 4.0);
  double limit = std::sqrt(max_pixels / double(size.area()));
  return std::min(scale, std::max(limit, 0.25));
}

}  // namespace sohoa::ocr
