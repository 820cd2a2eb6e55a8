#include "ocr/orientation.h"

#include <tesseract/baseapi.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

#include "ocr/skew.h"
#include "ocr/grey.h"
#include "ocr/restore_ink.h"

namespace sohoa::ocr {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMinUpDownScore = 0.12;  // |above - below| / (above + below) to act on
constexpr int kMinLines = 3;

struct UpDownEvidence {
  double above = 0;  // ink above the lines' x-height bands
  double below = 0;  // ink below them
  int lines = 0;
};

// One text line's share of ink above and below its core band (the rows at
// least half as dark as the line's darkest row).
void weigh_line(const std::vector<int>& profile, int from, int to, UpDownEvidence& evidence) {
  int peak = *std::max_element(profile.begin() + from, profile.begin() + to);
  int core_from = from, core_to = to - 1;
  while (profile[core_from] * 2 < peak) ++core_from;
  while (profile[core_to] * 2 < peak) --core_to;
  for (int i = from; i < core_from; ++i) evidence.above += profile[i];
  for (int i = core_to + 1; i < to; ++i) evidence.below += profile[i];
  ++evidence.lines;
}

// Splits a strip's profile into lines (runs of rows with ink) and weighs the
// lines of ordinary height; taller runs are lines run together.
void weigh_strip(const std::vector<int>& profile, UpDownEvidence& evidence) {
  std::vector<std::pair<int, int>> runs;
  for (int i = 0, n = static_cast<int>(profile.size()); i < n;) {
    if (profile[i] == 0) {
      ++i;
      continue;
    }
    int start = i;
    while (i < n && profile[i] != 0) ++i;
    if (i - start >= 6) runs.emplace_back(start, i);
  }
  if (runs.empty()) return;
  std::vector<int> heights;
  for (auto [a, b] : runs) heights.push_back(b - a);
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  int median = heights[heights.size() / 2];
  for (auto [a, b] : runs)
    if ((b - a) * 2 <= median * 5) weigh_line(profile, a, b, evidence);
}

// Ink profiles across the lines, in vertical strips narrow enough that lines of
// neighbouring columns (the two-column letterhead) stay apart, after turning
// the ink clockwise by `angle_deg` so that the lines run across.
UpDownEvidence up_down_evidence(const InkPoints& ink, double angle_deg) {
  const double a = angle_deg * kPi / 180;
  const float c = static_cast<float>(std::cos(a)), s = static_cast<float>(std::sin(a));
  const float half = std::hypot(ink.size.width, ink.size.height) / 2.0f + 2;
  const float strip_width = std::max(ink.size.width, ink.size.height) / 10.0f;
  const int height = static_cast<int>(2 * half) + 2;
  std::map<int, std::vector<int>> strips;
  for (std::size_t i = 0; i < ink.x.size(); ++i) {
    float u = ink.x[i] * c - ink.y[i] * s + half;
    float v = ink.x[i] * s + ink.y[i] * c + half;
    auto& profile = strips[static_cast<int>(u / strip_width)];
    if (profile.empty()) profile.assign(height, 0);
    ++profile[static_cast<int>(v)];
  }
  UpDownEvidence evidence;
  for (auto& [index, profile] : strips) weigh_strip(profile, evidence);
  return evidence;
}

// Rotation class and remaining skew from the lines' direction in [-90°, 90°]:
// lines near vertical mean the page lies on its side.
void split_line_angle(double line_deg, int& rotation, double& skew) {
  if (line_deg > 45) {
    rotation = 90;
    skew = line_deg - 90;
  } else if (line_deg < -45) {
    rotation = 90;
    skew = line_deg + 90;
  } else {
    rotation = 0;
    skew = line_deg;
  }
}

}  // namespace

Orientation detect_orientation(const cv::Mat& grey) {
  Orientation result;
  PageInk ink = page_ink(grey);
  SkewEstimate lines = estimate_line_angle(ink, -90, 90);
  if (!lines.found) return result;
  int rotation = 0;
  double skew = 0;
  split_line_angle(lines.angle_deg, rotation, skew);
  UpDownEvidence evidence = up_down_evidence(ink.fine, rotation + skew);
  double total = evidence.above + evidence.below;
  double score = total > 0 ? (evidence.above - evidence.below) / total : 0;
  result.rotation = score < 0 ? rotation + 180 : rotation;
  result.skew_deg = skew;
  result.confidence = std::abs(score);
  result.confident = evidence.lines >= kMinLines && result.confidence >= kMinUpDownScore;
  return result;
}

OsdDetector::OsdDetector() : api_(std::make_unique<tesseract::TessBaseAPI>()) {
  if (api_->Init(nullptr, "osd", tesseract::OEM_TESSERACT_ONLY) != 0)
    throw std::runtime_error("Tesseract: cannot load the osd model");
  api_->SetPageSegMode(tesseract::PSM_OSD_ONLY);
}

OsdDetector::~OsdDetector() {
  if (api_) api_->End();
}

Orientation OsdDetector::detect(const cv::Mat& grey, int dpi) {
  require_grey(grey, "OsdDetector::detect");
  Orientation result;
  api_->SetImage(grey.data, grey.cols, grey.rows, 1, static_cast<int>(grey.step));
  api_->SetSourceResolution(dpi);
  int orient_deg = 0;
  float orient_conf = 0, script_conf = 0;
  const char* script = nullptr;
  if (api_->DetectOrientationScript(&orient_deg, &orient_conf, &script, &script_conf)) {
    // Tesseract reports the page's clockwise turn; the SPEC counts counter-clockwise.
    result.rotation = (360 - orient_deg) % 360;
    result.confidence = orient_conf;
    result.confident = orient_conf >= 2.0f;
  }
  api_->Clear();
  return result;
}

cv::Mat turn_upright(const cv::Mat& grey, int rotation) {
  if (rotation % 90 != 0)
    throw std::invalid_argument("turn_upright: rotation must be a multiple of 90 degrees");
  cv::Mat out;
  switch (((rotation % 360) + 360) % 360) {
    case 90:
      cv::rotate(grey, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    case 180:
      cv::rotate(grey, out, cv::ROTATE_180);
      return out;
    case 270:
      cv::rotate(grey, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    default:
      return grey.clone();
  }
}

cv::Mat turn_counter_clockwise(const cv::Mat& grey, int rotation) {
  return turn_upright(grey, 360 - (((rotation % 360) + 360) % 360));
}

}  // namespace sohoa::ocr
