#include <gtest/gtest.h>

#include <cmath>

#include "ocr/orientation.h"
#include "pipeline/stages/orient.h"
#include "tests/support/restore_render.h"

using namespace sohoa;
namespace render = sohoa::testing;

namespace {

const cv::Mat& upright_page() {
  static const cv::Mat page = render::render_page();
  return page;
}

struct Case {
  int rotation;
  double skew;
};

const Case kCases[] = {{0, 0.0},    {90, 0.0},  {180, 0.0},   {270, 0.0}, {0, 7.5},   {90, -4.2},
                       {180, 12.0}, {270, 3.3}, {180, -30.0}, {90, 25.0}, {0, -40.0}, {270, -12.5}};

}  // namespace

TEST(DetectOrientation, FindsRotationAndSkewOfTurnedPages) {
  for (const Case& c : kCases) {
    cv::Mat scanned = render::scan(upright_page(), c.skew, c.rotation);
    ocr::Orientation found = ocr::detect_orientation(scanned);
    EXPECT_TRUE(found.confident) << c.rotation << " " << c.skew << " conf " << found.confidence;
    EXPECT_EQ(found.rotation, c.rotation) << "skew " << c.skew << " conf " << found.confidence;
    EXPECT_NEAR(found.skew_deg, c.skew, 0.3) << c.rotation;
    std::printf("rotation %3d skew %6.2f: found %3d, confidence %.2f\n", c.rotation, c.skew,
                found.rotation, found.confidence);
  }
}

TEST(DetectOrientation, FindsRotationOfDegradedPages) {
  unsigned seed = 1;
  for (int rotation : {0, 90, 180, 270}) {
    cv::Mat scanned = render::degrade(render::scan(upright_page(), 5.5, rotation), seed++);
    ocr::Orientation found = ocr::detect_orientation(scanned);
    EXPECT_TRUE(found.confident) << rotation;
    EXPECT_EQ(found.rotation, rotation) << "conf " << found.confidence;
  }
}

TEST(DetectOrientation, BlankPageIsNotConfident) {
  cv::Mat blank(3508, 2480, CV_8UC1, cv::Scalar(255));
  ocr::Orientation found = ocr::detect_orientation(blank);
  EXPECT_FALSE(found.confident);
  EXPECT_EQ(found.rotation, 0);
}

// The fast signal is checked against Tesseract's own orientation detection.
TEST(OsdDetector, AgreesWithTheFastSignalOnLevelPages) {
  ocr::OsdDetector osd;
  for (int rotation : {0, 90, 180, 270}) {
    cv::Mat scanned = render::scan(upright_page(), 0.0, rotation);
    ocr::Orientation by_osd = osd.detect(scanned, 300);
    EXPECT_TRUE(by_osd.confident) << rotation << " conf " << by_osd.confidence;
    EXPECT_EQ(by_osd.rotation, rotation);
    EXPECT_EQ(ocr::detect_orientation(scanned).rotation, by_osd.rotation);
  }
}

TEST(TurnUpright, UndoesCounterClockwiseTurns) {
  cv::Mat marked(4, 6, CV_8UC1, cv::Scalar(0));
  marked.at<uchar>(0, 0) = 255;  // top left
  for (int rotation : {0, 90, 180, 270}) {
    cv::Mat back = ocr::turn_upright(ocr::turn_counter_clockwise(marked, rotation), rotation);
    EXPECT_EQ(cv::norm(back, marked, cv::NORM_INF), 0) << rotation;
  }
  cv::Mat ccw = ocr::turn_counter_clockwise(marked, 90);
  EXPECT_EQ(ccw.size(), cv::Size(4, 6));
  EXPECT_EQ(ccw.at<uchar>(5, 0), 255);  // top left goes to bottom left
}

TEST(OrientStage, TurnsPageUprightAndRecordsRotation) {
  pipeline::OrientStage stage;
  EXPECT_STREQ(stage.name(), "orient");
  for (int rotation : {90, 180, 270}) {
    pipeline::Page page;
    page.image = render::scan(upright_page(), 2.0, rotation);
    page = stage.run(std::move(page));
    EXPECT_EQ(page.rotation, rotation);
    EXPECT_EQ(page.image.size(), upright_page().size());
    ocr::Orientation again = ocr::detect_orientation(page.image);
    EXPECT_EQ(again.rotation, 0);
    EXPECT_NEAR(again.skew_deg, 2.0, 0.2);
  }
}
