#include "ocr/colour.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "pipeline/stages/colour.h"
#include "tests/support/restore_render.h"

using namespace sohoa;
namespace render = sohoa::testing;

namespace {

// A line of black print with a red seal's ring over part of it and a blue
// handwritten stroke beside it, on white paper (RGB).
struct SealedLine {
  cv::Mat rgb, print;  // print: where the black text is (255)
};

SealedLine sealed_line() {
  cv::Mat line = render::render_line("Chủ tịch Nguyễn Văn An", "DejaVu Serif 13", 300);
  cv::Mat page(line.rows + 200, line.cols + 200, CV_8UC1, cv::Scalar(255));
  render::paste(page, line, 100, 100);
  SealedLine s;
  cv::threshold(page, s.print, 128, 255, cv::THRESH_BINARY_INV);
  cv::cvtColor(page, s.rgb, cv::COLOR_GRAY2RGB);
  cv::Mat seal(page.size(), CV_8UC1, cv::Scalar(0));
  cv::circle(seal, {page.cols / 2, page.rows / 2}, page.rows / 2 - 10, 255, 12);
  cv::line(seal, {20, 20}, {page.cols / 3, 60}, 128, 6);  // the blue stroke
  for (int r = 0; r < page.rows; ++r) {
    for (int c = 0; c < page.cols; ++c) {
      cv::Vec3b& p = s.rgb.at<cv::Vec3b>(r, c);
      if (seal.at<uchar>(r, c) == 255) {  // red ink multiplies the page
        p = cv::Vec3b(p[0] * 220 / 255, p[1] * 40 / 255, p[2] * 50 / 255);
      } else if (seal.at<uchar>(r, c) == 128) {
        p = cv::Vec3b(30, 60, 200);
      }
    }
  }
  return s;
}

double mean_where(const cv::Mat& grey, const cv::Mat& mask) { return cv::mean(grey, mask)[0]; }

}  // namespace

TEST(Colour, SealAndBlueInkFadeBlackPrintStays) {
  SealedLine s = sealed_line();
  cv::Mat luminance;
  cv::cvtColor(s.rgb, luminance, cv::COLOR_RGB2GRAY);
  cv::Mat grey = ocr::grey_without_colour(s.rgb, luminance);
  cv::Mat seal_only;
  cv::inRange(s.rgb, cv::Scalar(150, 0, 0), cv::Scalar(255, 80, 80), seal_only);
  cv::Mat blue_only;
  cv::inRange(s.rgb, cv::Scalar(30, 60, 200), cv::Scalar(30, 60, 200), blue_only);
  ASSERT_GT(cv::countNonZero(seal_only), 1000);
  ASSERT_GT(cv::countNonZero(blue_only), 100);
  // In luminance the seal is as dark as mid-grey print; without colour it is near paper.
  EXPECT_LT(mean_where(luminance, seal_only), 110);
  EXPECT_GE(mean_where(grey, seal_only), 200);
  EXPECT_GE(mean_where(grey, blue_only), 195);
  // Black print, under the seal too, keeps its darkness.
  cv::Mat black_print;
  cv::inRange(s.rgb, cv::Scalar(0, 0, 0), cv::Scalar(40, 40, 40), black_print);
  EXPECT_LE(mean_where(grey, black_print), 30);
  EXPECT_NEAR(mean_where(grey, s.print), mean_where(luminance, s.print), 25);
  EXPECT_GT(ocr::colour_share(s.rgb), 0.01);
}

// A screenshot's text drawn with sub-pixel rendering (ClearType): each pixel's
// red, green and blue are the ink cover of its left, middle and right thirds,
// so the edges of black letters are strongly orange or blue. Those fringes are
// print: fading them as coloured ink thinned every letter of such pages
// (real_compare's web screenshots) and OCR lost words.
TEST(Colour, SubPixelFringesOfBlackPrintStayDark) {
  cv::Mat fine = render::render_line("Họ và tên người khởi kiện", "DejaVu Serif 10", 3 * 96);
  cv::Mat cover;  // three sub-columns per pixel, one row per three
  cv::resize(fine, cover, cv::Size(fine.cols / 3 * 3, fine.rows / 3), 0, 0, cv::INTER_AREA);
  cv::Mat rgb(cover.rows, cover.cols / 3, CV_8UC3);
  for (int r = 0; r < rgb.rows; ++r)
    for (int c = 0; c < rgb.cols; ++c)
      rgb.at<cv::Vec3b>(r, c) = cv::Vec3b(cover.at<uchar>(r, 3 * c), cover.at<uchar>(r, 3 * c + 1),
                                          cover.at<uchar>(r, 3 * c + 2));
  cv::Mat luminance;
  cv::cvtColor(rgb, luminance, cv::COLOR_RGB2GRAY);
  cv::Mat fringes;  // pixels of clear colour: what the old fade took for ink
  cv::Mat planes[3];
  cv::split(rgb, planes);
  cv::Mat high = cv::max(cv::max(planes[0], planes[1]), planes[2]);
  cv::Mat low = cv::min(cv::min(planes[0], planes[1]), planes[2]);
  cv::threshold(high - low, fringes, 63, 255, cv::THRESH_BINARY);
  ASSERT_GT(cv::countNonZero(fringes), 150);
  EXPECT_GT(ocr::colour_share(rgb), 0.001);  // so the colour stage does run on such a page
  cv::Mat grey = ocr::grey_without_colour(rgb, luminance);
  // The fringes keep about their luminance (fading them made them 72 levels
  // lighter on average, most of them close to paper).
  cv::Mat lighter;
  cv::subtract(grey, luminance, lighter);
  EXPECT_LE(mean_where(lighter, fringes), 15.0);
  cv::Mat faded;
  cv::threshold(lighter, faded, 60, 255, cv::THRESH_BINARY);
  EXPECT_LE(cv::countNonZero(faded & fringes), cv::countNonZero(fringes) / 20);
}

TEST(Colour, NeutralPageKeepsItsGreyAndHasNoColour) {
  cv::Mat grey = render::render_line("Độc lập - Tự do - Hạnh phúc");
  cv::Mat rgb;
  cv::cvtColor(grey, rgb, cv::COLOR_GRAY2RGB);
  EXPECT_DOUBLE_EQ(ocr::colour_share(rgb), 0.0);
  cv::Mat out = ocr::grey_without_colour(rgb, grey);
  EXPECT_EQ(cv::countNonZero(out != grey), 0);
}

TEST(Colour, RefusesWrongImages) {
  cv::Mat rgb(10, 10, CV_8UC3, cv::Scalar(255, 255, 255));
  EXPECT_THROW(ocr::colour_share(cv::Mat(10, 10, CV_8UC1)), std::invalid_argument);
  EXPECT_THROW(ocr::grey_without_colour(cv::Mat(), cv::Mat()), std::invalid_argument);
  EXPECT_THROW(ocr::grey_without_colour(rgb, cv::Mat(9, 10, CV_8UC1)), std::invalid_argument);
  EXPECT_DOUBLE_EQ(ocr::colour_share(cv::Mat()), 0.0);
}

TEST(ColourStage, RegreysAColourPageAndReleasesTheColour) {
  SealedLine s = sealed_line();
  pipeline::ColourStage stage;
  EXPECT_STREQ(stage.name(), "colour");
  pipeline::Page page;
  cv::cvtColor(s.rgb, page.image, cv::COLOR_RGB2GRAY);
  page.colour = s.rgb;
  cv::Mat before = page.image.clone();
  page = stage.run(std::move(page));
  EXPECT_TRUE(page.colour.empty());
  EXPECT_GT(cv::countNonZero(page.image != before), 1000);
}

// A grey source, an empty page and a colour image that does not match the
// grey (a stage before changed it) pass unchanged.
TEST(ColourStage, LeavesGreyEmptyAndMismatchedPagesAlone) {
  pipeline::ColourStage stage;
  pipeline::Page grey;
  grey.image = render::render_line("Số: 392/QĐ-UBND");
  cv::Mat before = grey.image.clone();
  grey = stage.run(std::move(grey));
  EXPECT_EQ(cv::countNonZero(grey.image != before), 0);

  pipeline::Page empty;
  empty = stage.run(std::move(empty));
  EXPECT_TRUE(empty.image.empty());

  SealedLine s = sealed_line();
  pipeline::Page odd;
  odd.image = cv::Mat(5, 5, CV_8UC1, cv::Scalar(255));
  odd.colour = s.rgb;
  odd = stage.run(std::move(odd));
  EXPECT_EQ(odd.image.size(), cv::Size(5, 5));
  EXPECT_TRUE(odd.colour.empty());
}
