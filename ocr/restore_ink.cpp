#include "ocr/restore_ink.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace sohoa::ocr {
namespace {

cv::Mat shrink(const cv::Mat& grey, int long_side, double& scale) {
  int longest = std::max(grey.cols, grey.rows);
  scale = std::min(1.0, static_cast<double>(long_side) / longest);
  if (scale >= 1.0) return grey.clone();
  cv::Mat small;
  cv::resize(grey, small, cv::Size(), scale, scale, cv::INTER_AREA);
  return small;
}

// Local paper brightness: the brightest level around each pixel, estimated on
// a coarse grid so that text strokes (darker than their surroundings) vanish.
cv::Mat local_paper(const cv::Mat& grey) {
  cv::Mat coarse;
  const double factor = 1.0 / 8;
  cv::resize(grey, coarse, cv::Size(), factor, factor, cv::INTER_AREA);
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

InkPoints text_ink(const cv::Mat& grey, int long_side) {
  if (grey.type() != CV_8UC1 || grey.empty())
    throw std::invalid_argument("text_ink: expected a non-empty CV_8UC1 image");
  InkPoints ink;
  cv::Mat small = shrink(grey, long_side, ink.scale);
  ink.size = small.size();
  cv::Mat mask = ink_mask(small);
  cv::Mat labels, stats, centroids;
  int count = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
  std::vector<char> keep(count, 0);
  for (int i = 1; i < count; ++i) keep[i] = is_text_like(stats.ptr<int>(i), small.size());
  const float cx = small.cols / 2.0f, cy = small.rows / 2.0f;
  for (int r = 0; r < labels.rows; ++r) {
    const int* row = labels.ptr<int>(r);
    for (int c = 0; c < labels.cols; ++c) {
      if (row[c] != 0 && keep[row[c]]) {
        ink.x.push_back(c - cx);
        ink.y.push_back(r - cy);
      }
    }
  }
  return ink;
}

int paper_level(const cv::Mat& grey) {
  if (grey.empty()) return 255;
  cv::Mat small;
  double factor = std::min(1.0, 256.0 / std::max(grey.cols, grey.rows));
  cv::resize(grey, small, cv::Size(), factor, factor, cv::INTER_AREA);
  int hist[256] = {};
  for (int r = 0; r < small.rows; ++r)
    for (int c = 0; c < small.cols; ++c) ++hist[small.at<uchar>(r, c)];
  // The 80th percentile: most of a document page is paper.
  long target = static_cast<long>(small.total() * 0.8), seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += hist[v];
    if (seen > target) return v;
  }
  return 255;
}

}  // namespace sohoa::ocr
