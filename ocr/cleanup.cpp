#include "ocr/cleanup.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "ocr/restore_ink.h"

namespace sohoa::ocr {
namespace {

constexpr int kCoarseFactor = 8;  // coarse grid for borders and light: 8 px at 300 dpi ≈ 0.7 mm

cv::Mat coarse_copy(const cv::Mat& grey) {
  cv::Mat coarse;
  cv::resize(
      grey, coarse,
      cv::Size(std::max(1, grey.cols / kCoarseFactor), std::max(1, grey.rows / kCoarseFactor)), 0,
      0, cv::INTER_AREA);
  return coarse;
}

// Marks labelled in `labels` whose bounding box touches the image's edge.
std::vector<char> touching_edge(const cv::Mat& stats, cv::Size size, int min_area) {
  std::vector<char> touches(stats.rows, 0);
  for (int i = 1; i < stats.rows; ++i) {
    const int* s = stats.ptr<int>(i);
    bool edge = s[cv::CC_STAT_LEFT] == 0 || s[cv::CC_STAT_TOP] == 0 ||
                s[cv::CC_STAT_LEFT] + s[cv::CC_STAT_WIDTH] >= size.width ||
                s[cv::CC_STAT_TOP] + s[cv::CC_STAT_HEIGHT] >= size.height;
    touches[i] = edge && s[cv::CC_STAT_AREA] >= min_area;
  }
  return touches;
}

int dark_percentile(const cv::Mat& grey, double share) {
  int hist[256] = {};
  for (int r = 0; r < grey.rows; r += 2) {
    const uchar* row = grey.ptr<uchar>(r);
    for (int c = 0; c < grey.cols; c += 2) ++hist[row[c]];
  }
  long total = 0;
  for (int v : hist) total += v;
  long target = static_cast<long>(total * share), seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += hist[v];
    if (seen > target) return v;
  }
  return 0;
}

}  // namespace

cv::Mat scale_to_dpi(const cv::Mat& grey, int dpi, int target_dpi) {
  if (dpi <= 0 || dpi >= target_dpi) return grey;
  cv::Mat out;
  double factor = static_cast<double>(target_dpi) / dpi;
  cv::Size size(static_cast<int>(std::lround(grey.cols * factor)),
                static_cast<int>(std::lround(grey.rows * factor)));
  cv::resize(grey, out, size, 0, 0, cv::INTER_CUBIC);
  return out;
}

cv::Mat remove_dark_borders(const cv::Mat& grey) {
  cv::Mat coarse = coarse_copy(grey);
  int paper = paper_level(grey);
  // Dark relative to the paper: a cell mostly covered by ink or shadow.
  cv::Mat dark;
  cv::threshold(coarse, dark, paper * 0.45, 255, cv::THRESH_BINARY_INV);
  cv::Mat labels, stats, centroids;
  int count = cv::connectedComponentsWithStats(dark, labels, stats, centroids, 4, CV_32S);
  if (count <= 1) return grey;
  std::vector<char> border = touching_edge(stats, coarse.size(), 4);
  cv::Mat mask = cv::Mat::zeros(coarse.size(), CV_8UC1);
  bool any = false;
  for (int r = 0; r < labels.rows; ++r)
    for (int c = 0; c < labels.cols; ++c)
      if (border[labels.at<int>(r, c)]) {
        mask.at<uchar>(r, c) = 255;
        any = true;
      }
  if (!any) return grey;
  // One coarse cell of margin takes the border's soft edge too.
  cv::dilate(mask, mask, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
  cv::Mat full_mask;
  cv::resize(mask, full_mask, grey.size(), 0, 0, cv::INTER_NEAREST);
  cv::Mat out = grey.clone();
  out.setTo(cv::Scalar(paper), full_mask);
  return out;
}

cv::Mat flatten_background(const cv::Mat& grey) {
  cv::Mat coarse = coarse_copy(grey);
  // The brightest cell around each cell is paper, since text lines are
  // narrower than the window; the blur hides the window's blockiness.
  cv::dilate(coarse, coarse, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
  cv::GaussianBlur(coarse, coarse, cv::Size(5, 5), 0);
  cv::Mat paper;
  cv::resize(coarse, paper, grey.size(), 0, 0, cv::INTER_LINEAR);
  cv::Mat flat;
  cv::divide(grey, paper, flat, 255);
  int ink = dark_percentile(flat, 0.01);
  if (ink > 0 && ink < 200) {
    double gain = 255.0 / (255 - ink);
    flat.convertTo(flat, CV_8UC1, gain, -ink * gain);
  }
  return flat;
}

cv::Mat remove_speckles(const cv::Mat& grey, int dpi) {
  cv::Mat out;
  cv::medianBlur(grey, out, 3);
  cv::Mat ink;
  cv::threshold(out, ink, 160, 255, cv::THRESH_BINARY_INV);
  cv::Mat labels, stats, centroids;
  int count = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  const double unit = std::max(dpi, 1) / 300.0;
  // A diacritic dot of 10 pt type at 300 dpi covers about 16 px; specks smaller
  // than that, far from letters, are noise.
  const int speck_area = static_cast<int>(std::lround(12 * unit * unit));
  const int reach = std::max(2, static_cast<int>(std::lround(8 * unit)));
  std::vector<char> is_speck(count, 0);
  std::vector<int> specks;
  for (int i = 1; i < count; ++i) {
    if (stats.at<int>(i, cv::CC_STAT_AREA) <= speck_area) {
      is_speck[i] = 1;
      specks.push_back(i);
    }
  }
  cv::Mat marks = cv::Mat::zeros(ink.size(), CV_8UC1);
  for (int r = 0; r < labels.rows; ++r) {
    const int* label = labels.ptr<int>(r);
    uchar* mark = marks.ptr<uchar>(r);
    for (int c = 0; c < labels.cols; ++c)
      mark[c] = (label[c] != 0 && !is_speck[label[c]]) ? 255 : 0;
  }
  if (specks.empty()) return out;
  cv::dilate(marks, marks,
             cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * reach + 1, 2 * reach + 1)));
  for (int i : specks) {
    cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                 stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (cv::countNonZero(marks(box)) > 0) continue;
    cv::Mat region = out(box);
    region.setTo(255, labels(box) == i);
  }
  return out;
}

cv::Mat clean_page(const cv::Mat& grey, int& dpi) {
  cv::Mat page = scale_to_dpi(grey, dpi);
  if (dpi < 300) dpi = 300;
  page = remove_dark_borders(page);
  page = flatten_background(page);
  return remove_speckles(page, dpi);
}

cv::Mat binarize(const cv::Mat& grey) {
  cv::Mat out;
  cv::threshold(grey, out, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  return out;
}

}  // namespace sohoa::ocr
