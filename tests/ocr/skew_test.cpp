#include "ocr/skew.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ocr/skew.h"
#include "pipeline/stages/deskew.h"
#include "tests/support/restore_render.h"

using namespace sohoa;
namespace render = sohoa::testing;

namespace {

const cv::Mat& upright_page() {
  static const cv::Mat page = render::render_page();
  return page;
}

}  // namespace

TEST(EstimateSkew, FindsKnownAnglesWithinTenthOfDegree) {
  double worst = 0, total = 0;
  int count = 0;
  for (double angle : {-14.6, -9.3, -5.0, -2.7, -0.8, 0.0, 0.35, 1.9, 4.4, 7.15, 11.8, 15.0}) {
    cv::Mat scanned = render::scan(upright_page(), angle, 0);
    ocr::SkewEstimate found = ocr::estimate_skew(scanned);
    ASSERT_TRUE(found.found) << angle;
    double error = std::abs(found.angle_deg - angle);
    EXPECT_LE(error, 0.3) << "true " << angle << " found " << found.angle_deg;
    worst = std::max(worst, error);
    total += error;
    ++count;
  }
  EXPECT_LE(total / count, 0.1);
  std::printf("skew: mean abs error %.3f°, worst %.3f°\n", total / count, worst);
}

TEST(EstimateSkew, FindsLargeAnglesUpTo45) {
  for (double angle : {-44.0, -31.5, 23.2, 38.0, 44.0}) {
    cv::Mat scanned = render::scan(upright_page(), angle, 0);
    ocr::SkewEstimate found = ocr::estimate_skew(scanned);
    ASSERT_TRUE(found.found);
    EXPECT_NEAR(found.angle_deg, angle, 0.3);
  }
}

TEST(EstimateSkew, FindsSkewOnDegradedPage) {
  cv::Mat scanned = render::degrade(render::scan(upright_page(), -6.4, 0), 7);
  ocr::SkewEstimate found = ocr::estimate_skew(scanned);
  ASSERT_TRUE(found.found);
  EXPECT_NEAR(found.angle_deg, -6.4, 0.2);
}

TEST(EstimateSkew, BlankPageIsNotFound) {
  cv::Mat blank(3508, 2480, CV_8UC1, cv::Scalar(250));
  EXPECT_FALSE(ocr::estimate_skew(blank).found);
}

TEST(EstimateSkew, RejectsNonGreyImage) {
  cv::Mat colour(100, 100, CV_8UC3, cv::Scalar(255, 255, 255));
  EXPECT_THROW(ocr::estimate_skew(colour), std::invalid_argument);
}

TEST(RotateAndScale, UndoesSkewSoLinesAreLevel) {
  cv::Mat scanned = render::scan(upright_page(), 8.0, 0);
  cv::Mat level = ocr::rotate_and_scale(scanned, 8.0, 1.0, 255);
  EXPECT_EQ(level.size(), scanned.size());
  EXPECT_NEAR(ocr::estimate_skew(level).angle_deg, 0.0, 0.1);
}

TEST(RotateAndScale, ScalesToRequestedSize) {
  cv::Mat small(1169, 827, CV_8UC1, cv::Scalar(255));
  cv::Mat big = ocr::rotate_and_scale(small, 0.0, 1.5, 255);
  EXPECT_EQ(big.cols, 1241);
  EXPECT_EQ(big.rows, 1754);
}

TEST(DeskewStage, RecordsSkewAndLevelsThePage) {
  pipeline::DeskewStage stage;
  EXPECT_STREQ(stage.name(), "deskew");
  pipeline::Page page;
  page.image = render::scan(upright_page(), -3.25, 0);
  page = stage.run(std::move(page));
  EXPECT_NEAR(page.skew_deg, -3.25, 0.1);
  EXPECT_GT(page.text_dpi, 0);
  // A crisp 300 dpi render has resolution to spare: the sharp reading size
  // (kReadDpi by default).
  EXPECT_NEAR(page.dpi, pipeline::DeskewStage::kSharpReadDpi,
              0.08 * pipeline::DeskewStage::kSharpReadDpi);
  EXPECT_NEAR(ocr::estimate_skew(page.image).angle_deg, 0.0, 0.1);
}

// The same page scanned at 200 dpi comes out at the same reading scale (one
// reading size asked for, whatever the sharp size is).
TEST(DeskewStage, BringsA200DpiPageToTheSameScale) {
  pipeline::DeskewStage stage(pipeline::DeskewStage::kReadDpi, pipeline::DeskewStage::kReadDpi);
  pipeline::Page at300;
  at300.image = render::scan(upright_page(), 2.0, 0);
  at300 = stage.run(std::move(at300));
  cv::Mat at200;
  cv::resize(render::scan(upright_page(), 2.0, 0), at200, cv::Size(), 2.0 / 3, 2.0 / 3,
             cv::INTER_AREA);
  pipeline::Page page;
  page.image = at200;
  page.dpi = 200;
  page = stage.run(std::move(page));
  EXPECT_NEAR(page.skew_deg, 2.0, 0.15);
  EXPECT_NEAR(page.text_dpi, at300.text_dpi * 2.0 / 3, 0.06 * at300.text_dpi);
  EXPECT_NEAR(page.image.cols, at300.image.cols, 0.06 * at300.image.cols);
  EXPECT_NEAR(page.image.rows, at300.image.rows, 0.06 * at300.image.rows);
}
