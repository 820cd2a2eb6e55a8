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
