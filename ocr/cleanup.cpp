#include "ocr/cleanup.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

#include "ocr/grey.h"
#include "ocr/restore_ink.h"
#include "ocr/text_size.h"

namespace sohoa::ocr {
namespace {

constexpr int kLeaderDots = 6;    // an ellipsis has three dots, a leader many more
constexpr int kCoarseFactor = 8;  // coarse grid for borders and light: 8 px at 300 dpi ≈ 0.7 mm

cv::Mat coarse_copy(const cv::Mat& grey) { return shrink(grey, kCoarseFactor); }

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
  for (int r = 0; r < grey.rows; r += 3) {
    const uchar* row = grey.ptr<uchar>(r);
    for (int c = 0; c < grey.cols; c += 3) ++hist[row[c]];
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
  require_grey(grey, "scale_to_dpi");
  if (dpi <= 0 || dpi >= target_dpi) return grey;
  cv::Mat out;
  double factor = static_cast<double>(target_dpi) / dpi;
  cv::Size size(static_cast<int>(std::lround(grey.cols * factor)),
                static_cast<int>(std::lround(grey.rows * factor)));
  cv::resize(grey, out, size, 0, 0, cv::INTER_CUBIC);
  return out;
}

namespace {

// Coarse cells of large dark areas connected to the image's edge, with one
// cell of margin for the border's soft edge. Text never makes a coarse cell
// that dark, so it is not taken.
cv::Mat border_cells(const cv::Mat& coarse, int paper) {
  cv::Mat dark;
  cv::threshold(coarse, dark, paper * 0.45, 255, cv::THRESH_BINARY_INV);
  cv::Mat labels, stats, centroids;
  int count =
      cv::connectedComponentsWithStats(dark, labels, stats, centroids, 4, CV_32S, cv::CCL_GRANA);
  cv::Mat cells = cv::Mat::zeros(coarse.size(), CV_8UC1);
  if (count <= 1) return cells;
  std::vector<char> border = touching_edge(stats, coarse.size(), 4);
  for (int r = 0; r < labels.rows; ++r) {
    const int* label = labels.ptr<int>(r);
    uchar* cell = cells.ptr<uchar>(r);
    for (int c = 0; c < labels.cols; ++c) cell[c] = border[label[c]] ? 255 : 0;
  }
  cv::dilate(cells, cells, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
  return cells;
}

// Paints the full-size pixels under the marked coarse cells; the last row and
// column of cells also cover the remainder of the image.
void paint_cells(cv::Mat& grey, const cv::Mat& cells, int level) {
  for (int r = 0; r < cells.rows; ++r) {
    const uchar* cell = cells.ptr<uchar>(r);
    for (int c = 0; c < cells.cols; ++c) {
      if (!cell[c]) continue;
      int x = c * kCoarseFactor, y = r * kCoarseFactor;
      int w = c + 1 == cells.cols ? grey.cols - x : kCoarseFactor;
      int h = r + 1 == cells.rows ? grey.rows - y : kCoarseFactor;
      grey(cv::Rect(x, y, w, h)).setTo(level);
    }
  }
}

cv::Mat flatten_with(const cv::Mat& grey, cv::Mat coarse) {
  // The brightest cell around each cell is paper, since text lines are
  // narrower than the window; the blur hides the window's blockiness.
  cv::dilate(coarse, coarse, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
  cv::GaussianBlur(coarse, coarse, cv::Size(5, 5), 0);
  cv::Mat flat;
  cv::resize(coarse, flat, grey.size(), 0, 0, cv::INTER_LINEAR);
  // In place: every full-size image allocated costs page faults too.
  cv::divide(grey, flat, flat, 255);
  int ink = dark_percentile(flat, 0.01);
  if (ink > 0 && ink < 200) {
    cv::Mat stretch(1, 256, CV_8UC1);
    for (int v = 0; v < 256; ++v)
      stretch.at<uchar>(v) = cv::saturate_cast<uchar>((v - ink) * 255.0 / (255 - ink));
    cv::LUT(flat, stretch, flat);
  }
  return flat;
}

}  // namespace

cv::Mat remove_dark_borders(const cv::Mat& grey) {
  require_grey(grey, "remove_dark_borders");
  int paper = paper_level(grey);
  cv::Mat cells = border_cells(coarse_copy(grey), paper);
  if (cv::countNonZero(cells) == 0) return grey;
  cv::Mat out = grey.clone();
  paint_cells(out, cells, paper);
  return out;
}

cv::Mat flatten_background(const cv::Mat& grey) {
  require_grey(grey, "flatten_background");
  return flatten_with(grey, coarse_copy(grey));
}

cv::Mat remove_speckles(const cv::Mat& grey, int dpi) {
  require_grey(grey, "remove_speckles");
  cv::Mat out;
  cv::medianBlur(grey, out, 3);
  // Marks are found on a half-size mask, four times less work than at full
  // size; a cell is ink when it is clearly darker than paper. The median has
  // already taken specks of 2×2 pixels or less.
  cv::Mat half;
  cv::resize(out(cv::Rect(0, 0, out.cols & ~1, out.rows & ~1)), half,
             cv::Size(out.cols / 2, out.rows / 2), 0, 0, cv::INTER_AREA);
  cv::threshold(half, half, 200, 255, cv::THRESH_BINARY_INV);
  cv::Mat labels, stats, centroids;
  int count =
      cv::connectedComponentsWithStats(half, labels, stats, centroids, 8, CV_32S, cv::CCL_GRANA);
  const double unit = std::max(dpi, 1) / 300.0;
  // A diacritic dot of 10 pt type at 300 dpi spans about 4 px; specks that
  // small, away from letters, are noise. Sizes in half-size cells.
  const int speck_cells = std::max(1, static_cast<int>(std::lround(2 * unit)));
  const int reach = std::max(1, static_cast<int>(std::lround(4 * unit)));
  std::vector<char> is_speck(count, 0);
  std::vector<int> specks;
  for (int i = 1; i < count; ++i) {
    const int* s = stats.ptr<int>(i);
    if (s[cv::CC_STAT_WIDTH] <= speck_cells + 1 && s[cv::CC_STAT_HEIGHT] <= speck_cells + 1) {
      is_speck[i] = 1;
      specks.push_back(i);
    }
  }
  if (specks.empty()) return out;
  cv::Mat marks(half.size(), CV_8UC1);
  for (int r = 0; r < labels.rows; ++r) {
    const int* label = labels.ptr<int>(r);
    uchar* mark = marks.ptr<uchar>(r);
    for (int c = 0; c < labels.cols; ++c)
      mark[c] = (label[c] != 0 && !is_speck[label[c]]) ? 255 : 0;
  }
  cv::dilate(marks, marks,
             cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * reach + 1, 2 * reach + 1)));
  const cv::Rect whole(0, 0, out.cols, out.rows);
  for (int i : specks) {
    const int* s = stats.ptr<int>(i);
    cv::Rect box(s[cv::CC_STAT_LEFT], s[cv::CC_STAT_TOP], s[cv::CC_STAT_WIDTH],
                 s[cv::CC_STAT_HEIGHT]);
    if (cv::countNonZero(marks(box)) > 0) continue;
    // Nothing else is within reach, so the speck's whole box (and a pixel of
    // its grey rim) can be painted white.
    cv::Rect full(box.x * 2 - 1, box.y * 2 - 1, box.width * 2 + 2, box.height * 2 + 2);
    out(full & whole).setTo(255);
  }
  return out;
}

namespace {

struct Dot {
  cv::Rect box;
};

// Dark marks of `ink` small and round enough to be a leader's dot at an
// x-height of `x_height` px, with no ink right above or below them (the dot
// of an "i" has its stem below, a dot below a letter the letter above),
// sorted left to right.
std::vector<Dot> dot_marks(const cv::Mat& ink, const cv::Mat& stats, double x_height) {
  std::vector<Dot> dots;
  const int largest = std::max(2, static_cast<int>(std::lround(0.4 * x_height)));
  const int above = static_cast<int>(std::lround(0.8 * x_height));
  const int below = static_cast<int>(std::lround(0.4 * x_height));
  const cv::Rect whole(0, 0, ink.cols, ink.rows);
  for (int i = 1; i < stats.rows; ++i) {
    const int* s = stats.ptr<int>(i);
    int w = s[cv::CC_STAT_WIDTH], h = s[cv::CC_STAT_HEIGHT];
    if (w > largest || h > largest || w > 2 * h + 1 || h > 2 * w + 1) continue;
    if (s[cv::CC_STAT_AREA] < 0.4 * w * h) continue;
    const cv::Rect box(s[cv::CC_STAT_LEFT], s[cv::CC_STAT_TOP], w, h);
    const cv::Rect over = cv::Rect(box.x, box.y - above, w, above) & whole;
    const cv::Rect under = cv::Rect(box.x, box.br().y + 1, w, below) & whole;
    if ((over.area() > 0 && cv::countNonZero(ink(over)) > 0) ||
        (under.area() > 0 && cv::countNonZero(ink(under)) > 0))
      continue;
    dots.push_back({box});
  }
  std::sort(dots.begin(), dots.end(), [](const Dot& a, const Dot& b) { return a.box.x < b.box.x; });
  return dots;
}

double median_of(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

// Whether the dots of `chain` are alike in size and evenly spaced, at least
// `min_dots` of them: most steps one pitch, the rest two or three (a dot
// too faint to see). The dots of a seal's texture, a signature or a halftone
// photo line up by chance, but not evenly.
bool evenly_spaced(const std::vector<Dot>& dots, const std::vector<int>& chain, int min_dots) {
  if (static_cast<int>(chain.size()) < std::max(2, min_dots)) return false;
  std::vector<double> gaps, heights;
  for (std::size_t k = 0; k < chain.size(); ++k) {
    heights.push_back(dots[chain[k]].box.height);
    if (k > 0) gaps.push_back(dots[chain[k]].box.x - dots[chain[k - 1]].box.x);
  }
  const double gap = median_of(gaps), height = median_of(heights);
  std::size_t even = 0, one_pitch = 0, alike = 0;
  for (double g : gaps) {
    const double pitches = std::round(g / gap);
    if (pitches < 1 || pitches > 3 || std::abs(g - pitches * gap) > 0.25 * gap + 1) continue;
    ++even;
    one_pitch += pitches == 1;
  }
  for (double h : heights) alike += std::abs(h - height) <= 0.34 * height + 1;
  return even >= 0.8 * gaps.size() && one_pitch >= 0.5 * gaps.size() &&
         alike >= 0.8 * heights.size();
}

double median_height(const std::vector<Dot>& dots, const std::vector<int>& chain) {
  std::vector<double> heights;
  for (int k : chain) heights.push_back(dots[k].box.height);
  return median_of(heights);
}

// The printed leaders among `chains` (each a run of dots, left to right): a
// chain of kLeaderDots evenly spaced dots, or evenly spaced pieces of at least
// three dots (a leader typed as "……" ellipses, or broken where the print
// faded) following each other along one baseline, of one dot size, at most
// `gap` apart, kLeaderDots dots together. A lone ellipsis stays: it is text.
std::vector<std::vector<int>> leaders_of(const std::vector<Dot>& dots,
                                         std::vector<std::vector<int>> chains, double gap,
                                         double level) {
  std::vector<std::vector<int>> pieces;
  for (auto& chain : chains)
    if (evenly_spaced(dots, chain, 3)) pieces.push_back(std::move(chain));
  std::sort(pieces.begin(), pieces.end(), [&](const auto& a, const auto& b) {
    return dots[a.front()].box.x < dots[b.front()].box.x;
  });
  std::vector<char> used(pieces.size(), 0);
  std::vector<std::vector<int>> leaders;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (used[i]) continue;
    std::vector<int> run = pieces[i];
    const double height = median_height(dots, pieces[i]);
    int joined = 1;
    for (std::size_t j = i + 1; j < pieces.size(); ++j) {
      if (used[j]) continue;
      const cv::Rect& last = dots[run.back()].box;
      const cv::Rect& first = dots[pieces[j].front()].box;
      if (first.x - last.br().x > gap) continue;
      if (first.x < last.br().x || std::abs(first.br().y - last.br().y) > level) continue;
      if (std::abs(median_height(dots, pieces[j]) - height) > 0.34 * height + 1) continue;
      run.insert(run.end(), pieces[j].begin(), pieces[j].end());
      used[j] = 1;
      ++joined;
    }
    const bool one_leader = joined == 1 && evenly_spaced(dots, run, kLeaderDots);
    if (one_leader || (joined > 1 && static_cast<int>(run.size()) >= kLeaderDots))
      leaders.push_back(std::move(run));
  }
  return leaders;
}

// The printed x-height a page at `dpi` holds (never under 4 px).
double x_height_at(int dpi) { return std::max(4.0, kXHeightAt300Dpi * std::max(dpi, 1) / 300.0); }

// Ink as 255 on 0, at the mid-grey cut the mark finders share.
cv::Mat ink_of(const cv::Mat& grey) {
  cv::Mat ink;
  cv::threshold(grey, ink, 160, 255, cv::THRESH_BINARY_INV);
  return ink;
}

}  // namespace

cv::Mat remove_dot_leaders(const cv::Mat& grey, int dpi) {
  require_grey(grey, "remove_dot_leaders");
  const double x_height = x_height_at(dpi);
  const cv::Mat ink = ink_of(grey);
  cv::Mat labels, stats, centroids;
  cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S, cv::CCL_GRANA);
  std::vector<Dot> dots = dot_marks(ink, stats, x_height);
  // Each dot's nearest follower to the right on the same baseline, no
  // further than a letter's width: a leader is a chain of such dots.
  const double reach = 1.1 * x_height, level = 0.2 * x_height + 1;
  std::vector<int> next(dots.size(), -1), has_prev(dots.size(), 0);
  for (std::size_t i = 0; i < dots.size(); ++i) {
    const cv::Rect& a = dots[i].box;
    int best = -1;
    for (std::size_t j = i + 1; j < dots.size() && dots[j].box.x - a.br().x <= reach; ++j) {
      const cv::Rect& b = dots[j].box;
      if (b.x < a.br().x || std::abs(b.br().y - a.br().y) > level) continue;
      if (best < 0 || b.x < dots[best].box.x) best = static_cast<int>(j);
    }
    if (best >= 0 && !has_prev[best]) {
      next[i] = best;
      has_prev[best] = 1;
    }
  }
  // The dot's soft rim, lighter than the ink threshold, goes with it: an
  // upscaled page's rims are a few pixels wide and would stay as ghost dots.
  const int rim = std::max(1, static_cast<int>(std::lround(0.12 * x_height)));
  std::vector<std::vector<int>> chains;
  for (std::size_t i = 0; i < dots.size(); ++i) {
    if (has_prev[i]) continue;
    chains.emplace_back();
    for (int k = static_cast<int>(i); k >= 0; k = next[k]) chains.back().push_back(k);
  }
  cv::Mat out = grey.clone();
  for (const auto& leader : leaders_of(dots, std::move(chains), 3 * x_height, level)) {
    for (int k : leader) {
      cv::Rect box = dots[k].box;
      box -= cv::Point(rim, rim);
      box += cv::Size(2 * rim, 2 * rim);
      out(box & cv::Rect(0, 0, out.cols, out.rows)).setTo(255);
    }
  }
  return out;
}

namespace {

// The dark rows of a column's run of `rule` pixels, [top, bottom).
struct Run {
  int top = 0;
  int bottom = 0;
};

// Whether `ink` runs on from row `from` in column `c` for `length` rows,
// stepping by `step` (-1 up, +1 down): a stroke leaving the rule.
bool stroke_from(const cv::Mat& ink, int c, int from, int step, int length) {
  for (int k = 0; k < length; ++k) {
    const int r = from + step * k;
    if (r < 0 || r >= ink.rows || !ink.at<uchar>(r, c)) return false;
  }
  return true;
}

// The pixels of `ink` in horizontal runs of at least `length` (an opening
// by a 1×length line, in one pass over each row).
cv::Mat long_runs(const cv::Mat& ink, int length) {
  cv::Mat rule = cv::Mat::zeros(ink.size(), CV_8UC1);
  for (int r = 0; r < ink.rows; ++r) {
    const uchar* in = ink.ptr<uchar>(r);
    uchar* out = rule.ptr<uchar>(r);
    for (int c = 0; c < ink.cols;) {
      if (!in[c]) {
        ++c;
        continue;
      }
      int end = c;
      while (end < ink.cols && in[end]) ++end;
      if (end - c >= length) std::fill(out + c, out + end, 255);
      c = end;
    }
  }
  return rule;
}

// The bands of consecutive rows holding `rule` pixels.
std::vector<Run> rule_bands(const cv::Mat& rule) {
  std::vector<Run> bands;
  for (int r = 0; r < rule.rows; ++r) {
    if (cv::countNonZero(rule.row(r)) == 0) continue;
    if (!bands.empty() && bands.back().bottom == r)
      ++bands.back().bottom;
    else
      bands.push_back({r, r + 1});
  }
  return bands;
}

// The runs of `rule` pixels of column `c` within `band`, at most `thickest`
// rows each (a thicker one is a bar, not a rule).
std::vector<Run> column_runs(const cv::Mat& rule, const Run& band, int c, int thickest) {
  std::vector<Run> runs;
  for (int r = band.top; r < band.bottom; ++r) {
    if (!rule.at<uchar>(r, c)) continue;
    Run run{r, r};
    while (run.bottom < band.bottom && rule.at<uchar>(run.bottom, c)) ++run.bottom;
    r = run.bottom;
    if (run.bottom - run.top <= thickest) runs.push_back(run);
  }
  return runs;
}

// Paints column `c` of `runs` white in `out`, and their rim of `rim` rows
// above and below where it is not ink of something else.
void whiten_runs(cv::Mat& out, const cv::Mat& ink, const std::vector<Run>& runs, int c, int rim) {
  for (const Run& run : runs) {
    for (int r = run.top; r < run.bottom; ++r) out.at<uchar>(r, c) = 255;
    for (int k = 1; k <= rim; ++k) {
      for (int r : {run.top - k, run.bottom - 1 + k}) {
        if (r >= 0 && r < out.rows && !ink.at<uchar>(r, c)) out.at<uchar>(r, c) = 255;
      }
    }
  }
}

// For each 8-connected mark of `ink` outside `rule` (labelled as
// cv::connectedComponents labels ink & ~rule), whether it is a letter's
// and not the ragged edge of a blurred rule: a letter's mark is tall (a
// third of an x-height), compact (a dot, at least `stroke` high, at most
// about twice as wide as high) or a short piece thicker than `stroke` (the
// bottom of a "g" below the rule); a rule's edge is a flat sliver along it,
// which kept would leave specks Tesseract reads as "m ˆ ." on the line above.
struct Marks {
  cv::Mat labels;
  std::vector<char> letter;
};

Marks letters_beside(const cv::Mat& ink, const cv::Mat& rule, double x_height, int stroke) {
  Marks marks;
  cv::Mat stats, centroids;
  const int count =
      cv::connectedComponentsWithStats(ink & ~rule, marks.labels, stats, centroids, 8, CV_32S);
  marks.letter.assign(count, 0);
  for (int i = 1; i < count; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    marks.letter[i] =
        h >= 0.3 * x_height || (h >= stroke && w <= 2 * h + 2) || (h > stroke && w <= x_height);
  }
  return marks;
}

}  // namespace

cv::Mat remove_rules(const cv::Mat& grey, int dpi) {
  require_grey(grey, "remove_rules");
  const double x_height = x_height_at(dpi);
  const cv::Mat ink = ink_of(grey);
  // Only a rule has a horizontal stroke this long.
  const int length = static_cast<int>(std::lround(kRuleXHeights * x_height));
  cv::Mat rule = long_runs(ink, length);
  std::vector<Run> bands = rule_bands(rule);
  if (bands.empty()) return grey;
  // A printed rule is 0.5-1 pt, a tenth of an x-height; a blurred photo's
  // spreads to a third. Ink running on from the rule for a tenth of an
  // x-height (more than its ragged edge's pixel) is a letter touching it: a
  // stem, a descender, the dot below of "ị", which sits where an underline
  // runs. The rim is the soft edge lighter than the ink threshold.
  const int thickest = std::max(3, static_cast<int>(std::lround(0.4 * x_height)));
  const int stroke = std::max(2, static_cast<int>(std::lround(0.1 * x_height)));
  const int rim = std::max(1, static_cast<int>(std::lround(0.12 * x_height)));
  // A stroke's tip inside the rule (a descender's slanted end, the curve
  // of a "g") lies beside the column it leaves from: kept with it.
  const int beside = std::max(1, static_cast<int>(std::lround(0.15 * x_height)));
  const Marks marks = letters_beside(ink, rule, x_height, stroke);
  auto letter_at = [&](int r, int c) {
    return r >= 0 && r < marks.labels.rows && marks.letter[marks.labels.at<int>(r, c)];
  };
  cv::Mat out = grey.clone();
  std::vector<std::vector<Run>> runs(rule.cols);
  std::vector<char> touched(rule.cols);
  for (const Run& band : bands) {
    for (int c = 0; c < rule.cols; ++c) {
      runs[c] = column_runs(rule, band, c, thickest);
      touched[c] = false;
      for (const Run& run : runs[c])
        touched[c] = touched[c] ||
                     (letter_at(run.top - 1, c) && stroke_from(ink, c, run.top - 1, -1, stroke)) ||
                     (letter_at(run.bottom, c) && stroke_from(ink, c, run.bottom, +1, stroke));
    }
    for (int c = 0; c < rule.cols; ++c) {
      bool kept = false;
      for (int cc = std::max(0, c - beside); cc <= std::min(rule.cols - 1, c + beside); ++cc)
        kept = kept || touched[cc];
      if (!kept) whiten_runs(out, ink, runs[c], c, rim);
    }
  }
  return out;
}

cv::Mat clean_page(const cv::Mat& grey, int dpi) {
  require_grey(grey, "clean_page");
  cv::Mat page = grey;
  cv::Mat coarse = coarse_copy(page);
  cv::Mat borders = border_cells(coarse, paper_level(page));
  page = flatten_with(page, coarse);
  // After flattening the paper is white, and so are the borders once painted.
  paint_cells(page, borders, 255);
  return remove_dot_leaders(remove_speckles(page, dpi), dpi);
}

cv::Mat binarize(const cv::Mat& grey) {
  require_grey(grey, "binarize");
  cv::Mat out;
  cv::threshold(grey, out, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  return out;
}

}  // namespace sohoa::ocr
