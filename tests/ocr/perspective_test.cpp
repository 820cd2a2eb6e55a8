#include "ocr/perspective.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "ocr/skew.h"
#include "pipeline/stages/perspective.h"
#include "tests/support/restore_render.h"

using namespace sohoa;
namespace render = sohoa::testing;

namespace {

// The test page at 150 dpi (1240 × 1754).
const cv::Mat& flat_page() {
  static const cv::Mat page = [] {
    cv::Mat small;
    cv::resize(render::render_page(), small, cv::Size(1240, 1754), 0, 0, cv::INTER_AREA);
    return small;
  }();
  return page;
}

// The page photographed at an angle on a dark desk: its corners go to `to`.
cv::Mat photographed(const std::vector<cv::Point2f>& to, cv::Size frame) {
  const cv::Mat& page = flat_page();
  std::vector<cv::Point2f> from{
      {0, 0}, {float(page.cols), 0}, {float(page.cols), float(page.rows)}, {0, float(page.rows)}};
  cv::Mat out;
  cv::warpPerspective(page, out, cv::getPerspectiveTransform(from, to), frame, cv::INTER_LINEAR,
                      cv::BORDER_CONSTANT, cv::Scalar(60));
  return out;
}

const std::vector<cv::Point2f> kKnownCorners{{180, 120}, {1290, 200}, {1350, 1930}, {120, 1850}};

}  // namespace

TEST(Perspective, FindsTheFourCornersOfAKnownHomography) {
  cv::Mat photo = photographed(kKnownCorners, cv::Size(1500, 2050));
  ocr::PageQuad quad = ocr::find_page_quad(photo);
  ASSERT_TRUE(quad.found);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(quad.corners[i].x, kKnownCorners[i].x, 12) << i;
    EXPECT_NEAR(quad.corners[i].y, kKnownCorners[i].y, 12) << i;
  }
  EXPECT_TRUE(ocr::in_perspective(quad));
}

TEST(Perspective, WarpsTheSheetFlatWithLevelLines) {
  pipeline::PerspectiveStage stage;
  EXPECT_STREQ(stage.name(), "perspective");
  pipeline::Page page;
  page.image = photographed(kKnownCorners, cv::Size(1500, 2050));
  page = stage.run(std::move(page));
  EXPECT_TRUE(page.flattened);
  // As large as the sheet's longer sides, with the page's proportions kept to 3%.
  EXPECT_NEAR(double(page.image.rows) / page.image.cols, 1754.0 / 1240, 0.03 * 1754 / 1240);
  ocr::SkewEstimate skew = ocr::estimate_skew(page.image);
  ASSERT_TRUE(skew.found);
  EXPECT_NEAR(skew.angle_deg, 0.0, 0.3);
  // The desk is gone: the flattened sheet is paper to its edges.
  EXPECT_GT(cv::mean(page.image.col(5))[0], 200);
  EXPECT_GT(cv::mean(page.image.row(page.image.rows - 5))[0], 200);
}

// A sheet merely turned on a dark platen is a rectangle: found, but not in
// perspective, so the stage leaves it to deskew (which records its skew).
TEST(Perspective, TurnedRectangleIsLeftToDeskew) {
  cv::Mat canvas(2200, 1700, CV_8UC1, cv::Scalar(50));
  render::paste(canvas, flat_page(), 230, 220);
  cv::Mat turned = render::scan(canvas, 4.0, 0, 50);
  ocr::PageQuad quad = ocr::find_page_quad(turned);
  ASSERT_TRUE(quad.found);
  EXPECT_FALSE(ocr::in_perspective(quad));
  pipeline::PerspectiveStage stage;
  pipeline::Page page;
  page.image = turned;
  page = stage.run(std::move(page));
  EXPECT_FALSE(page.flattened);
  EXPECT_EQ(page.image.size(), turned.size());
}

// Hostile twins: a sheet filling the whole frame (a flat scan), a dark frame
// with nothing in it, a blank page, an empty image and the wrong type.
TEST(Perspective, NothingToFlatten) {
  EXPECT_FALSE(ocr::find_page_quad(flat_page()).found);
  EXPECT_FALSE(ocr::find_page_quad(cv::Mat(800, 600, CV_8UC1, cv::Scalar(30))).found);
  EXPECT_FALSE(ocr::find_page_quad(cv::Mat(800, 600, CV_8UC1, cv::Scalar(255))).found);
  EXPECT_THROW(ocr::find_page_quad(cv::Mat()), std::invalid_argument);
  EXPECT_THROW(ocr::find_page_quad(cv::Mat(8, 8, CV_8UC3)), std::invalid_argument);
  EXPECT_THROW(ocr::warp_flat(flat_page(), ocr::PageQuad{}), std::invalid_argument);
  pipeline::PerspectiveStage stage;
  pipeline::Page empty;
  empty = stage.run(std::move(empty));
  EXPECT_FALSE(empty.flattened);
}
