#include "ocr/dewarp.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "ocr/grey.h"
#include "ocr/restore_ink.h"

namespace sohoa::ocr {
namespace {

// Working scale: the x-height brought to about this many pixels, enough to
// place a midline to a tenth of an x-height and cheap on any page.
constexpr double kWorkXHeight = 8.0;
constexpr int kMinLongLines = 6;

int odd(double v) {
  int n = std::max(1, static_cast<int>(std::lround(v)));
  return n % 2 == 1 ? n : n + 1;
}

// Ink of letter-sized marks only: rules, borders, seals and photos would
// bend the traced lines, specks would join them.
cv::Mat letter_ink(const cv::Mat& grey, double xh) {
  cv::Mat ink;
  cv::adaptiveThreshold(grey, ink, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV,
                        odd(4 * xh), 12);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<uchar> keep(n, 0);
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    keep[i] = h >= 0.35 * xh && h <= 2.6 * xh && w <= 30 * xh;
  }
  cv::Mat letters(ink.size(), CV_8UC1, cv::Scalar(0));
  for (int y = 0; y < labels.rows; ++y) {
    const int* row = labels.ptr<int>(y);
    uchar* out = letters.ptr<uchar>(y);
    for (int x = 0; x < labels.cols; ++x) out[x] = keep[row[x]] ? 255 : 0;
  }
  return letters;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// The x-height bands of the text: letters smeared along the row into words,
// then opened wider than a letter so ascenders, descenders and accents fall
// away; sampled every half x-height, each column's band of a line's height
// gives one midline point. Columns are listed left to right.
std::vector<std::vector<cv::Point2d>> band_points(const cv::Mat& letters, double xh) {
  cv::Mat bands;
  cv::morphologyEx(letters, bands, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(odd(1.5 * xh), 1)));
  cv::morphologyEx(bands, bands, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(odd(2 * xh), 1)));
  const int step = std::max(1, static_cast<int>(std::lround(xh / 2)));
  std::vector<std::vector<cv::Point2d>> columns;
  for (int x = 0; x < bands.cols; x += step) {
    std::vector<cv::Point2d> column;
    int top = -1;
    for (int y = 0; y <= bands.rows; ++y) {
      const bool on = y < bands.rows && bands.at<uchar>(y, x) != 0;
      if (on && top < 0) top = y;
      if (!on && top >= 0) {
        const int height = y - top;
        if (height >= 0.4 * xh && height <= 2.2 * xh) column.emplace_back(x, (top + y - 1) / 2.0);
        top = -1;
      }
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

// Slope of the last stretch (about 15 x-heights) of a traced line.
double tail_slope(const std::vector<cv::Point2d>& pts, double xh) {
  const double from = pts.back().x - 15 * xh;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int n = 0;
  for (auto it = pts.rbegin(); it != pts.rend() && it->x >= from; ++it, ++n) {
    sx += it->x, sy += it->y, sxx += it->x * it->x, sxy += it->x * it->y;
  }
  const double det = n * sxx - sx * sx;
  if (n < 3 || det <= 1e-9) return 0;
  return std::clamp((n * sxy - sx * sy) / det, -0.1, 0.1);
}

// Midline points followed column by column into lines: a point continues the
// line whose course (last point and slope) passes nearest to it, within 0.4
// x-height, across a gap of up to 6 x-heights; each line takes at most one
// point per column, the nearest.
std::vector<std::vector<cv::Point2d>> track_lines(
    const std::vector<std::vector<cv::Point2d>>& columns, double xh) {
  std::vector<std::vector<cv::Point2d>> lines;
  std::vector<double> slope;
  for (const auto& column : columns) {
    if (column.empty()) continue;
    const double x = column.front().x;
    std::vector<int> owner(column.size(), -1);
    std::vector<double> miss(column.size(), 0);
    std::vector<int> taken(lines.size(), -1);
    for (std::size_t l = 0; l < lines.size(); ++l) {
      const cv::Point2d last = lines[l].back();
      if (x - last.x > 6 * xh) continue;
      const double predicted = last.y + slope[l] * (x - last.x);
      int best = -1;
      double best_miss = 0.4 * xh;
      for (std::size_t p = 0; p < column.size(); ++p) {
        const double m = std::abs(column[p].y - predicted);
        if (m < best_miss) best_miss = m, best = static_cast<int>(p);
      }
      if (best < 0) continue;
      if (owner[best] < 0 || best_miss < miss[best]) {
        if (owner[best] >= 0) taken[owner[best]] = -1;
        owner[best] = static_cast<int>(l), miss[best] = best_miss, taken[l] = best;
      }
    }
    for (std::size_t p = 0; p < column.size(); ++p) {
      if (owner[p] < 0) {
        lines.push_back({column[p]});
        slope.push_back(0);
      } else {
        lines[owner[p]].push_back(column[p]);
        slope[owner[p]] = tail_slope(lines[owner[p]], xh);
      }
    }
  }
  return lines;
}

// Least-squares polynomial of `degree` (1 or 3) through pts in t; the points
// too far from it are dropped and it is fitted again.
bool fit_line(const std::vector<cv::Point2d>& pts, double xh, TextLineCurve& line) {
  line.x0 = pts.front().x;
  line.x1 = pts.back().x;
  const double mid = (line.x0 + line.x1) / 2, half = std::max(1.0, (line.x1 - line.x0) / 2);
  const int degree = line.x1 - line.x0 >= 25 * xh ? 3 : 1;
  std::vector<char> use(pts.size(), 1);
  for (int round = 0; round < 3; ++round) {
    int n = 0;
    for (char u : use) n += u;
    if (n < degree + 3) return false;
    cv::Mat a(n, degree + 1, CV_64F), b(n, 1, CV_64F), c;
    for (std::size_t i = 0, r = 0; i < pts.size(); ++i) {
      if (!use[i]) continue;
      const double t = (pts[i].x - mid) / half;
      double p = 1;
      for (int k = 0; k <= degree; ++k, p *= t) a.at<double>(r, k) = p;
      b.at<double>(r++, 0) = pts[i].y;
    }
    if (!cv::solve(a, b, c, cv::DECOMP_SVD)) return false;
    line.coeffs = cv::Vec4d(0, 0, 0, 0);
    for (int k = 0; k <= degree; ++k) line.coeffs[k] = c.at<double>(k, 0);
    line.points = n;
    double sum2 = 0;
    for (std::size_t i = 0; i < pts.size(); ++i)
      if (use[i]) sum2 += std::pow(pts[i].y - line.y_at(pts[i].x), 2);
    const double limit = std::max(0.3 * xh, 2.5 * std::sqrt(sum2 / n));
    bool dropped = false;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      if (use[i] && std::abs(pts[i].y - line.y_at(pts[i].x)) > limit) use[i] = 0, dropped = true;
    }
    if (!dropped) {
      // A line that wanders this much from a smooth curve was chained across
      // two text lines, or through a figure: it would tear the page.
      return std::sqrt(sum2 / n) <= 0.2 * xh;
    }
  }
  return false;
}

// Largest distance of `line` from its own straight least-squares line, and
// that straight line's slope.
std::pair<double, double> bend_and_slope(const TextLineCurve& line) {
  constexpr int kSamples = 41;
  double ys[kSamples], xs[kSamples];
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int i = 0; i < kSamples; ++i) {
    xs[i] = line.x0 + (line.x1 - line.x0) * i / (kSamples - 1);
    ys[i] = line.y_at(xs[i]);
    sx += xs[i], sy += ys[i], sxx += xs[i] * xs[i], sxy += xs[i] * ys[i];
  }
  const double det = kSamples * sxx - sx * sx;
  const double slope = det > 1e-9 ? (kSamples * sxy - sx * sy) / det : 0;
  const double icept = (sy - slope * sx) / kSamples;
  double bend = 0;
  for (int i = 0; i < kSamples; ++i) bend = std::max(bend, std::abs(ys[i] - icept - slope * xs[i]));
  return {bend, slope};
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(std::lround(q * (v.size() - 1)))];
}

double mean_height(const TextLineCurve& line) {
  double sum = 0;
  for (int i = 0; i <= 20; ++i) sum += line.y_at(line.x0 + (line.x1 - line.x0) * i / 20);
  return sum / 21;
}

}  // namespace

double TextLineCurve::y_at(double x) const {
  x = std::clamp(x, x0, x1);
  const double mid = (x0 + x1) / 2, half = std::max(1.0, (x1 - x0) / 2);
  const double t = (x - mid) / half;
  return coeffs[0] + t * (coeffs[1] + t * (coeffs[2] + t * coeffs[3]));
}

double TextLineCurve::slope_at(double x) const {
  if (x < x0 || x > x1) return 0;
  const double mid = (x0 + x1) / 2, half = std::max(1.0, (x1 - x0) / 2);
  const double t = (x - mid) / half;
  return (coeffs[1] + t * (2 * coeffs[2] + 3 * t * coeffs[3])) / half;
}

PageCurvature measure_curvature(const cv::Mat& grey, double x_height) {
  require_grey(grey, "measure_curvature");
  if (!(x_height > 0)) throw std::invalid_argument("measure_curvature: x-height must be positive");
  PageCurvature result;
  result.x_height = x_height;
  const double f = std::max(1.0, std::floor(x_height / kWorkXHeight));
  cv::Mat work = grey;
  if (f > 1) cv::resize(grey, work, cv::Size(), 1 / f, 1 / f, cv::INTER_AREA);
  const double xh = x_height / f;
  const auto chains = track_lines(band_points(letter_ink(work, xh), xh), xh);
  for (const auto& pts : chains) {
    if (pts.size() < 6 || pts.back().x - pts.front().x < 6 * xh) continue;
    TextLineCurve line;
    if (!fit_line(pts, xh, line)) continue;
    line.x0 *= f, line.x1 *= f, line.coeffs *= f;
    result.lines.push_back(line);
  }
  std::sort(result.lines.begin(), result.lines.end(),
            [](const TextLineCurve& a, const TextLineCurve& b) {
              return mean_height(a) < mean_height(b);
            });
  if (result.lines.empty()) return result;
  double left = result.lines.front().x0, right = result.lines.front().x1;
  for (const auto& line : result.lines)
    left = std::min(left, line.x0), right = std::max(right, line.x1);
  const double width = right - left;
  std::vector<double> bends, slopes;
  for (const auto& line : result.lines) {
    if (line.x1 - line.x0 < 0.5 * width) continue;
    auto [bend, slope] = bend_and_slope(line);
    bends.push_back(bend / x_height);
    slopes.push_back(slope);
  }
  result.long_lines = static_cast<int>(bends.size());
  if (result.long_lines < kMinLongLines) return result;
  result.bend = median_of(bends);
  result.fan = (percentile(slopes, 0.9) - percentile(slopes, 0.1)) * width / x_height;
  result.curved = result.bend >= kDewarpBend || result.fan >= kDewarpFan;
  return result;
}

namespace {

// Vertical shift (source y - output y) on a grid of `cell` px nodes over an
// image of `size`, from the lines chosen by `use`, line i put level at
// level[i]. Between lines the shift is interpolated, beyond them held;
// columns no line reaches take the nearest reached column. Empty when no
// line is used.
cv::Mat shift_grid(const std::vector<TextLineCurve>& lines, const std::vector<double>& level,
                   const std::vector<char>& use, cv::Size size, double cell, double x_height) {
  const int gw = static_cast<int>(std::ceil(size.width / cell)) + 1;
  const int gh = static_cast<int>(std::ceil(size.height / cell)) + 1;
  const double reach = 3 * x_height;  // lines held this far beyond their ends
  cv::Mat shift(gh, gw, CV_64F, cv::Scalar(0));
  std::vector<char> known(gw, 0);
  for (int gx = 0; gx < gw; ++gx) {
    const double x = gx * cell;
    std::vector<std::pair<double, std::size_t>> order;
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (use[i] && x >= lines[i].x0 - reach && x <= lines[i].x1 + reach)
        order.emplace_back(level[i], i);
    std::sort(order.begin(), order.end());
    std::vector<std::pair<double, double>> at;  // (output y, shift), top to bottom
    double last_source = -1e9;
    for (const auto& [out_y, i] : order) {
      const double source = lines[i].y_at(x);
      // Lines must keep their order and some room: a crossing would fold the page.
      if (source < last_source + 0.8 * x_height) continue;
      if (!at.empty() && out_y < at.back().first + 0.8 * x_height) continue;
      at.emplace_back(out_y, source - out_y);
      last_source = source;
    }
    if (at.empty()) continue;
    known[gx] = 1;
    std::size_t k = 0;
    for (int gy = 0; gy < gh; ++gy) {
      const double y = gy * cell;
      while (k < at.size() && at[k].first < y) ++k;
      double d;
      if (k == 0) {
        d = at.front().second;
      } else if (k == at.size()) {
        d = at.back().second;
      } else {
        const double w = (y - at[k - 1].first) / (at[k].first - at[k - 1].first);
        d = at[k - 1].second * (1 - w) + at[k].second * w;
      }
      shift.at<double>(gy, gx) = d;
    }
  }
  for (int gx = 0; gx < gw; ++gx) {
    if (known[gx]) continue;
    int nearest = -1;
    for (int r = 1; r < gw && nearest < 0; ++r) {
      if (gx - r >= 0 && known[gx - r])
        nearest = gx - r;
      else if (gx + r < gw && known[gx + r])
        nearest = gx + r;
    }
    if (nearest < 0) return cv::Mat();
    shift.col(nearest).copyTo(shift.col(gx));
  }
  cv::GaussianBlur(shift, shift, cv::Size(5, 5), 1.0, 1.0, cv::BORDER_REPLICATE);
  return shift;
}

double grid_at(const cv::Mat& shift, double cell, double x, double y) {
  const double fx = std::clamp(x / cell, 0.0, shift.cols - 1.0);
  const double fy = std::clamp(y / cell, 0.0, shift.rows - 1.0);
  const int x0 = std::min(static_cast<int>(fx), shift.cols - 2);
  const int y0 = std::min(static_cast<int>(fy), shift.rows - 2);
  const double wx = fx - x0, wy = fy - y0;
  return (1 - wy) * ((1 - wx) * shift.at<double>(y0, x0) + wx * shift.at<double>(y0, x0 + 1)) +
         wy * ((1 - wx) * shift.at<double>(y0 + 1, x0) + wx * shift.at<double>(y0 + 1, x0 + 1));
}

}  // namespace

cv::Mat dewarp(const cv::Mat& grey, const PageCurvature& curvature) {
  require_grey(grey, "dewarp");
  if (curvature.lines.empty() || !(curvature.x_height > 0)) return grey.clone();
  const auto& lines = curvature.lines;
  const double xh = curvature.x_height;
  const double cell = std::max(4.0, xh);
  // Where each line is put level must agree between lines, or the page tears
  // where a short line ends. The lines crossing the text's middle column are
  // put at their height there; every other line where the field of those
  // says its points belong, on average.
  double left = lines.front().x0, right = lines.front().x1;
  for (const auto& line : lines) left = std::min(left, line.x0), right = std::max(right, line.x1);
  const double middle = (left + right) / 2;
  std::vector<double> level(lines.size());
  std::vector<char> crosses(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    crosses[i] = lines[i].x0 <= middle && lines[i].x1 >= middle;
    level[i] = crosses[i] ? lines[i].y_at(middle) : mean_height(lines[i]);
  }
  const cv::Mat first = shift_grid(lines, level, crosses, grey.size(), cell, xh);
  if (!first.empty()) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (crosses[i]) continue;
      double sum = 0;
      for (int k = 0; k <= 20; ++k) {
        const double x = lines[i].x0 + (lines[i].x1 - lines[i].x0) * k / 20;
        const double y = lines[i].y_at(x);
        sum += y - grid_at(first, cell, x, y);
      }
      level[i] = sum / 21;
    }
  }
  const cv::Mat shift =
      shift_grid(lines, level, std::vector<char>(lines.size(), 1), grey.size(), cell, xh);
  if (shift.empty()) return grey.clone();

  cv::Mat map_x(grey.size(), CV_32F), map_y(grey.size(), CV_32F);
  for (int y = 0; y < grey.rows; ++y) {
    float* mx = map_x.ptr<float>(y);
    float* my = map_y.ptr<float>(y);
    for (int x = 0; x < grey.cols; ++x) {
      mx[x] = static_cast<float>(x);
      my[x] = static_cast<float>(y + grid_at(shift, cell, x, y));
    }
  }
  cv::Mat out;
  cv::remap(grey, out, map_x, map_y, cv::INTER_CUBIC, cv::BORDER_CONSTANT,
            cv::Scalar(paper_level(grey)));
  return out;
}

}  // namespace sohoa::ocr
