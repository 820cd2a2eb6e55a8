#include "ocr/restore_ink.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "ocr/grey.h"

namespace sohoa::ocr {
namespace {

constexpr int kFineLongSide = 2000;
constexpr int kCoarseLongSide = 500;

// Integer factors: OpenCV's area resampling is fastest and exact for them.
int shrink_factor(cv::Size size, int long_side) {
  int longest = std::max(size.width, size.height);
  return std::max(1, (longest + long_side - 1) / long_side);
}

// Local paper brightness: the brightest level around each pixel, estimated on
// a coarse grid so that text strokes (darker than their surroundings) vanish.
cv::Mat local_paper(const cv::Mat& grey) {
  cv::Mat coarse = shrink(grey, 8);
  if (coarse.empty()) return cv::Mat(grey.size(), CV_8UC1, cv::Scalar(255));
  cv::dilate(coarse, coarse, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  cv::blur(coarse, coarse, cv::Size(3, 3));
  cv::Mat paper;
  cv::resize(coarse, paper, grey.size(), 0, 0, cv::INTER_LINEAR);
  return paper;
}

cv::Mat ink_mask(const cv::Mat& grey) {
  cv::Mat flat;
  cv::divide(grey, local_paper(grey), flat, 255);
  cv::Mat mask;
  double otsu = cv::threshold(flat, mask, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  // Otsu drifts on near-empty pages; ink is at least clearly darker than paper.
  double level = std::clamp(otsu, 120.0, 210.0);
  cv::threshold(flat, mask, level, 255, cv::THRESH_BINARY_INV);
  return mask;
}

bool is_text_like(const int* stats, cv::Size size) {
  int x = stats[cv::CC_STAT_LEFT], y = stats[cv::CC_STAT_TOP];
  int w = stats[cv::CC_STAT_WIDTH], h = stats[cv::CC_STAT_HEIGHT];
  if (stats[cv::CC_STAT_AREA] < 2) return false;
  if (x == 0 || y == 0 || x + w >= size.width || y + h >= size.height) return false;
  int blob_limit = std::max(size.width, size.height) / 25;
  return std::min(w, h) <= blob_limit;
}

}  // namespace

namespace {

cv::Mat text_mask(const cv::Mat& small) {
  cv::Mat mask = ink_mask(small);
  cv::Mat labels, stats, centroids;
  int count =
      cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S, cv::CCL_GRANA);
  std::vector<uchar> keep(count, 0);
  for (int i = 1; i < count; ++i) keep[i] = is_text_like(stats.ptr<int>(i), small.size()) ? 255 : 0;
  for (int r = 0; r < labels.rows; ++r) {
    const int* label = labels.ptr<int>(r);
    uchar* out = mask.ptr<uchar>(r);
    for (int c = 0; c < labels.cols; ++c) out[c] = keep[label[c]];
  }
  return mask;
}

InkPoints points_of(const cv::Mat& mask) {
  InkPoints ink;
  ink.size = mask.size();
  const float cx = mask.cols / 2.0f, cy = mask.rows / 2.0f;
  for (int r = 0; r < mask.rows; ++r) {
    const uchar* row = mask.ptr<uchar>(r);
    for (int c = 0; c < mask.cols; ++c) {
      if (row[c]) {
        ink.x.push_back(c - cx);
        ink.y.push_back(r - cy);
      }
    }
  }
  return ink;
}

}  // namespace

cv::Mat shrink(const cv::Mat& grey, int factor) {
  if (factor <= 1) return grey;
  // OpenCV's area resampling has a vectorized path for exact halving only;
  // other factors go through a generic path many times slower.
  if ((factor & (factor - 1)) == 0) {
    cv::Mat small = grey;
    for (; factor > 1 && small.cols >= 2 && small.rows >= 2; factor /= 2) {
      cv::Mat even = small(cv::Rect(0, 0, small.cols & ~1, small.rows & ~1));
      cv::resize(even, small, cv::Size(even.cols / 2, even.rows / 2), 0, 0, cv::INTER_AREA);
    }
    return small;
  }
  cv::Mat exact = grey(cv::Rect(0, 0, grey.cols / factor * factor, grey.rows / factor * factor));
  cv::Mat small;
  if (exact.empty()) return small;
  cv::resize(exact, small, cv::Size(exact.cols / factor, exact.rows / factor), 0, 0,
             cv::INTER_AREA);
  return small;
}

PageInk page_ink(const cv::Mat& grey) {
  require_grey(grey, "page_ink");
  cv::Mat fine_mask = text_mask(shrink(grey, shrink_factor(grey.size(), kFineLongSide)));
  // A coarse cell is ink when a quarter of it is.
  cv::Mat coarse_mask = shrink(fine_mask, shrink_factor(fine_mask.size(), kCoarseLongSide));
  cv::threshold(coarse_mask, coarse_mask, 63, 255, cv::THRESH_BINARY);
  return {points_of(fine_mask), points_of(coarse_mask)};
}

int paper_level(const cv::Mat& grey) {
  if (grey.empty()) return 255;
  // A sample of rows and columns is plenty for a histogram.
  const int step = std::max(1, std::max(grey.cols, grey.rows) / 512);
  int hist[256] = {};
  long total = 0;
  for (int r = 0; r < grey.rows; r += step) {
    const uchar* row = grey.ptr<uchar>(r);
    for (int c = 0; c < grey.cols; c += step, ++total) ++hist[row[c]];
  }
  // The 80th percentile: most of a document page is paper.
  long target = static_cast<long>(total * 0.8), seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += hist[v];
    if (seen > target) return v;
  }
  return 255;
}

}  // namespace sohoa::ocr
