#include "ocr/cleanup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "pipeline/stages/clean.h"
#include "tests/support/restore_render.h"

using namespace sohoa;
namespace render = sohoa::testing;

namespace {

const cv::Mat& upright_page() {
  static const cv::Mat page = render::render_page();
  return page;
}

// The lowest mark of a rendered letter: the dot below of "ệ", "ộ", "ị".
cv::Rect dot_below(const cv::Mat& letter) {
  cv::Mat ink, labels, stats, centroids;
  cv::threshold(letter, ink, 128, 255, cv::THRESH_BINARY_INV);
  int count = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  int lowest = 1;
  for (int i = 2; i < count; ++i)
    if (stats.at<int>(i, cv::CC_STAT_TOP) > stats.at<int>(lowest, cv::CC_STAT_TOP)) lowest = i;
  return {stats.at<int>(lowest, cv::CC_STAT_LEFT), stats.at<int>(lowest, cv::CC_STAT_TOP),
          stats.at<int>(lowest, cv::CC_STAT_WIDTH), stats.at<int>(lowest, cv::CC_STAT_HEIGHT)};
}

int ink_pixels(const cv::Mat& grey, cv::Rect box) {
  cv::Mat ink;
  cv::threshold(grey(box), ink, 128, 255, cv::THRESH_BINARY_INV);
  return cv::countNonZero(ink);
}

double median_of(const cv::Mat& grey, const cv::Mat& mask) {
  std::vector<uchar> values;
  for (int r = 0; r < grey.rows; r += 3)
    for (int c = 0; c < grey.cols; c += 3)
      if (mask.at<uchar>(r, c)) values.push_back(grey.at<uchar>(r, c));
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

}  // namespace

// The dot below is the smallest mark of Vietnamese text; specks of about its
// size around it must go while it stays.
TEST(RemoveSpeckles, KeepsTheDotBelowAndRemovesIsolatedSpecks) {
  for (const char* font : {"DejaVu Serif 13", "DejaVu Serif 10", "DejaVu Sans 9"}) {
    for (const char* letter : {"ệ", "ộ", "ị"}) {
      cv::Mat glyph = render::render_line(letter, font);
      cv::Mat page(400, 400, CV_8UC1, cv::Scalar(255));
      render::paste(page, glyph, 180, 180);
      cv::Rect dot = dot_below(glyph) + cv::Point(180, 180);
      int dot_ink = ink_pixels(page, dot);
      ASSERT_GT(dot_ink, 3) << font << " " << letter;
      // Specks of 1, 2×2 and 3×3 pixels, well away from the letter.
      const cv::Rect specks[] = {
          {40, 40, 1, 1}, {300, 60, 2, 2}, {60, 320, 3, 3}, {330, 330, 3, 2}};
      for (const cv::Rect& s : specks) page(s).setTo(0);
      cv::Mat clean = ocr::remove_speckles(page, 300);
      EXPECT_GE(ink_pixels(clean, dot), dot_ink * 3 / 4) << font << " " << letter;
      for (const cv::Rect& s : specks) EXPECT_EQ(ink_pixels(clean, s), 0) << font << " " << s;
    }
  }
}

TEST(RemoveSpeckles, KeepsEveryMarkOfATextLine) {
  cv::Mat line = render::render_line("Tiến độ số hóa: Nguyễn Thị Ngọc Diệp, Hội đồng");
  cv::Mat page(line.rows + 40, line.cols + 40, CV_8UC1, cv::Scalar(255));
  render::paste(page, line, 20, 20);
  auto marks = [](const cv::Mat& grey) {
    cv::Mat ink, labels;
    cv::threshold(grey, ink, 128, 255, cv::THRESH_BINARY_INV);
    return cv::connectedComponents(ink, labels, 8) - 1;
  };
  EXPECT_EQ(marks(ocr::remove_speckles(page, 300)), marks(page));
}

TEST(RemoveDarkBorders, PaintsEdgeShadowsAndKeepsText) {
  cv::Mat page = upright_page().clone();
  page(cv::Rect(0, 0, 90, page.rows)).setTo(15);               // left lid shadow
  page(cv::Rect(0, page.rows - 60, page.cols, 60)).setTo(40);  // bottom edge
  cv::Mat clean = ocr::remove_dark_borders(page);
  EXPECT_GT(cv::mean(clean(cv::Rect(0, 0, 90, page.rows)))[0], 240);
  EXPECT_GT(cv::mean(clean(cv::Rect(0, page.rows - 60, page.cols, 60)))[0], 240);
  cv::Rect text(200, 250, 2100, 2400);
  EXPECT_EQ(ink_pixels(clean, text), ink_pixels(upright_page(), text));
}

TEST(FlattenBackground, MakesUnevenGreyPaperWhiteAndKeepsInkDark) {
  cv::Mat scanned = render::degrade(upright_page(), 3, false);
  cv::Mat flat = ocr::flatten_background(scanned);
  cv::Mat paper, ink;
  cv::threshold(upright_page(), paper, 254, 255, cv::THRESH_BINARY);
  cv::threshold(upright_page(), ink, 40, 255, cv::THRESH_BINARY_INV);
  cv::Mat left = cv::Mat::zeros(paper.size(), CV_8UC1), right = left.clone();
  left(cv::Rect(0, 0, paper.cols / 3, paper.rows)).setTo(255);
  right(cv::Rect(2 * paper.cols / 3, 0, paper.cols / 3, paper.rows)).setTo(255);
  EXPECT_LT(median_of(scanned, paper & right), 180);  // the damage is real
  EXPECT_GE(median_of(flat, paper & left), 245);
  EXPECT_GE(median_of(flat, paper & right), 245);
  EXPECT_LE(median_of(flat, ink), 60);
}

TEST(ScaleToDpi, ScalesOnlyPagesBelowTarget) {
  cv::Mat at200(2339, 1654, CV_8UC1, cv::Scalar(255));
  cv::Mat scaled = ocr::scale_to_dpi(at200, 200);
  EXPECT_EQ(scaled.cols, 2481);
  EXPECT_EQ(scaled.rows, 3509);
  EXPECT_EQ(ocr::scale_to_dpi(at200, 300).size(), at200.size());
  EXPECT_EQ(ocr::scale_to_dpi(at200, 400).size(), at200.size());
}

TEST(CleanStage, CleansA200DpiPageAtItsScale) {
  pipeline::CleanStage stage;
  EXPECT_STREQ(stage.name(), "clean");
  pipeline::Page page;
  cv::resize(render::degrade(upright_page(), 5), page.image, cv::Size(), 2.0 / 3, 2.0 / 3,
             cv::INTER_AREA);
  page.dpi = 200;
  const cv::Size size = page.image.size();
  page = stage.run(std::move(page));
  EXPECT_EQ(page.dpi, 200);  // the deskew stage scales; cleaning keeps the size
  EXPECT_EQ(page.image.size(), size);
  cv::Mat paper;
  cv::resize(upright_page(), paper, page.image.size(), 0, 0, cv::INTER_NEAREST);
  cv::threshold(paper, paper, 254, 255, cv::THRESH_BINARY);
  EXPECT_GE(median_of(page.image, paper), 245);
}
