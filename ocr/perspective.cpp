#include "ocr/perspective.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

#include "ocr/restore_ink.h"

namespace sohoa::ocr {
namespace {

constexpr int kWorkLongSide = 600;

double length(cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); }

double corner_angle_deg(cv::Point2f prev, cv::Point2f at, cv::Point2f next) {
  cv::Point2f u = prev - at, v = next - at;
  double cosine = (u.x * v.x + u.y * v.y) / (std::hypot(u.x, u.y) * std::hypot(v.x, v.y) + 1e-9);
  return std::acos(std::clamp(cosine, -1.0, 1.0)) * 180.0 / CV_PI;
}

// The four points in order: top-left, top-right, bottom-right, bottom-left.
std::array<cv::Point2f, 4> ordered(const std::vector<cv::Point>& quad, double scale) {
  std::array<cv::Point2f, 4> out;
  std::vector<cv::Point2f> p;
  for (const cv::Point& q : quad) p.emplace_back(q.x * scale, q.y * scale);
  auto sum = [](cv::Point2f a) { return a.x + a.y; };
  auto diff = [](cv::Point2f a) { return a.x - a.y; };
  out[0] = *std::min_element(p.begin(), p.end(), [&](auto a, auto b) { return sum(a) < sum(b); });
  out[2] = *std::max_element(p.begin(), p.end(), [&](auto a, auto b) { return sum(a) < sum(b); });
  out[1] = *std::max_element(p.begin(), p.end(), [&](auto a, auto b) { return diff(a) < diff(b); });
  out[3] = *std::min_element(p.begin(), p.end(), [&](auto a, auto b) { return diff(a) < diff(b); });
  return out;
}

}  // namespace

PageQuad find_page_quad(const cv::Mat& grey) {
  if (grey.empty() || grey.type() != CV_8UC1)
    throw std::invalid_argument("find_page_quad: expected a non-empty CV_8UC1 image");
  const int longest = std::max(grey.cols, grey.rows);
  const int factor = std::max(1, longest / kWorkLongSide);
  cv::Mat small = factor > 1 ? shrink(grey, factor) : grey.clone();
  cv::GaussianBlur(small, small, cv::Size(5, 5), 0);
  cv::Mat paper;
  cv::threshold(small, paper, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // Text and rules are holes in the sheet: closed over.
  cv::morphologyEx(paper, paper, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15)));
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(paper, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  PageQuad result;
  if (contours.empty()) return result;
  const auto& sheet = *std::max_element(contours.begin(), contours.end(), [](auto& a, auto& b) {
    return cv::contourArea(a) < cv::contourArea(b);
  });
  std::vector<cv::Point> hull, quad;
  cv::convexHull(sheet, hull);
  cv::approxPolyDP(hull, quad, 0.02 * cv::arcLength(hull, true), true);
  const double area = cv::contourArea(quad), frame = double(small.cols) * small.rows;
  if (quad.size() != 4 || !cv::isContourConvex(quad) || area < 0.25 * frame || area > 0.97 * frame)
    return result;
  // A corner on the frame's edge is the frame's, not the sheet's.
  for (const cv::Point& p : quad)
    if (p.x <= 1 || p.y <= 1 || p.x >= small.cols - 2 || p.y >= small.rows - 2) return result;
  result.corners = ordered(quad, factor);
  // The shrunk copy drops the last few rows and columns: the corners' scale is exact.
  result.found = true;
  return result;
}

bool in_perspective(const PageQuad& quad) {
  if (!quad.found) return false;
  const auto& c = quad.corners;
  double top = length(c[0], c[1]), bottom = length(c[3], c[2]);
  double left = length(c[0], c[3]), right = length(c[1], c[2]);
  if (std::abs(top - bottom) > 0.02 * std::max(top, bottom)) return true;
  if (std::abs(left - right) > 0.02 * std::max(left, right)) return true;
  for (int i = 0; i < 4; ++i)
    if (std::abs(corner_angle_deg(c[(i + 3) % 4], c[i], c[(i + 1) % 4]) - 90) > 2) return true;
  return false;
}

cv::Mat warp_flat(const cv::Mat& grey, const PageQuad& quad) {
  if (!quad.found) throw std::invalid_argument("warp_flat: no quad");
  const auto& c = quad.corners;
  float width = std::max(length(c[0], c[1]), length(c[3], c[2]));
  float height = std::max(length(c[0], c[3]), length(c[1], c[2]));
  std::vector<cv::Point2f> from(c.begin(), c.end());
  std::vector<cv::Point2f> to{{0, 0}, {width - 1, 0}, {width - 1, height - 1}, {0, height - 1}};
  cv::Mat out;
  cv::warpPerspective(
      grey, out, cv::getPerspectiveTransform(from, to),
      cv::Size(static_cast<int>(std::lround(width)), static_cast<int>(std::lround(height))),
      cv::INTER_CUBIC, cv::BORDER_REPLICATE);
  return out;
}

}  // namespace sohoa::ocr
