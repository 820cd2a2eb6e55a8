#include "ocr/text_size.h"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>
#include <random>

#include "pipeline/stages/deskew.h"
#include "tests/support/restore_render.h"

using namespace sohoa;
namespace render = sohoa::testing;

namespace {

// An A4 page at `dpi` with the body text in 13 pt `family`, set as a
// scanner of that resolution would see it (rendered at that dpi, not scaled).
cv::Mat page_at(int dpi, const std::string& family = "TeX Gyre Termes") {
  cv::Mat page(static_cast<int>(11.69 * dpi), static_cast<int>(8.27 * dpi), CV_8UC1,
               cv::Scalar(255));
  int y = dpi;
  const int step = 90 * dpi / 300;
  for (int round = 0; round < 2; ++round) {
    for (const auto& text : render::body_lines()) {
      render::paste(page, render::render_line(text, family + " 13", dpi), dpi * 8 / 10, y);
      y += step;
    }
  }
  return page;
}

}  // namespace

// Times-like 13 pt type, the body of official documents: a flat scan at any
// resolution from a phone's 70 dpi to a 600 dpi scanner is judged within 12%.
TEST(EstimateTextSize, JudgesTheResolutionFrom70To600Dpi) {
  for (int dpi : {70, 100, 150, 200, 300, 400, 600}) {
    ocr::TextSize size = ocr::estimate_text_size(page_at(dpi));
    ASSERT_TRUE(size.found) << dpi;
    EXPECT_NEAR(size.text_dpi, dpi, 0.12 * dpi)
        << "at " << dpi << " dpi, x-height " << size.x_height;
    EXPECT_GE(size.letters, 40);
  }
}

// Another face (DejaVu's large x-height) reads larger, but in proportion: the
// scale factors derived from it agree across resolutions within 10%.
TEST(EstimateTextSize, ScalesConsistentlyForAnotherFace) {
  double at300 = ocr::estimate_text_size(page_at(300, "DejaVu Serif")).text_dpi;
  ASSERT_GT(at300, 0);
  for (int dpi : {75, 150, 600}) {
    ocr::TextSize size = ocr::estimate_text_size(page_at(dpi, "DejaVu Serif"));
    ASSERT_TRUE(size.found) << dpi;
    EXPECT_NEAR(size.text_dpi / at300, dpi / 300.0, 0.1 * dpi / 300.0) << dpi;
  }
}

TEST(EstimateTextSize, BlankPageHasNoSize) {
  cv::Mat blank(3508, 2480, CV_8UC1, cv::Scalar(250));
  ocr::TextSize size = ocr::estimate_text_size(blank);
  EXPECT_FALSE(size.found);
  EXPECT_EQ(size.text_dpi, 0);
}

// A photo: blobs and shades of every size, no band of letter heights.
TEST(EstimateTextSize, PhotoHasNoSize) {
  cv::Mat photo(1600, 1200, CV_8UC1);
  cv::randu(photo, 0, 255);
  cv::GaussianBlur(photo, photo, cv::Size(0, 0), 12);
  cv::normalize(photo, photo, 0, 255, cv::NORM_MINMAX);
  EXPECT_FALSE(ocr::estimate_text_size(photo).found);
}

// A poster of a few huge words: too few letters to judge a body text by.
TEST(EstimateTextSize, HugeTextHasNoSize) {
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(255));
  render::paste(page, render::render_line("THÔNG BÁO", "TeX Gyre Termes 120", 300), 200, 800);
  render::paste(page, render::render_line("Họp dân", "TeX Gyre Termes 120", 300), 200, 1600);
  EXPECT_FALSE(ocr::estimate_text_size(page).found);
}

TEST(EstimateTextSize, RefusesWrongImages) {
  EXPECT_THROW(ocr::estimate_text_size(cv::Mat()), std::invalid_argument);
  EXPECT_THROW(ocr::estimate_text_size(cv::Mat(100, 100, CV_8UC3)), std::invalid_argument);
}

// Print rendered at a scanner's resolution has crisp edges at any
// resolution; optical blur of sigma s widens them to about 2.6 s (the 10-90%
// rise of a Gaussian edge is 2.56 s).
TEST(InkEdgeWidth, CrispPrintIsNarrowAtAnyResolution) {
  for (int dpi : {150, 300, 600}) {
    double width = ocr::ink_edge_width(page_at(dpi));
    EXPECT_GT(width, 0.5) << dpi;
    EXPECT_LE(width, 1.8) << dpi;
  }
}

TEST(InkEdgeWidth, BlurWidensEdgesInProportion) {
  const cv::Mat page = page_at(300);
  double narrower = ocr::ink_edge_width(page);
  for (double sigma : {1.5, 2.5}) {
    cv::Mat soft;
    cv::GaussianBlur(page, soft, cv::Size(0, 0), sigma);
    double width = ocr::ink_edge_width(soft);
    // Past a stroke's width the two edges of a stroke merge, and its
    // contrast falls: the width still grows, less than in proportion.
    if (sigma < 2) {
      EXPECT_NEAR(width, 2.56 * sigma, 0.25 * 2.56 * sigma);
    }
    EXPECT_GT(width, ocr::kCrispEdgeWidth) << sigma;
    EXPECT_GT(width, narrower + 0.5) << sigma;
    narrower = width;
  }
}

TEST(InkEdgeWidth, BlankOrFaintPageHasNone) {
  EXPECT_EQ(ocr::ink_edge_width(cv::Mat(1169, 827, CV_8UC1, cv::Scalar(255))), 0);
  cv::Mat noise(1169, 827, CV_8UC1);
  cv::randn(noise, 240, 3);  // paper grain, no ink
  EXPECT_EQ(ocr::ink_edge_width(noise), 0);
  EXPECT_THROW(ocr::ink_edge_width(cv::Mat()), std::invalid_argument);
  EXPECT_THROW(ocr::ink_edge_width(cv::Mat(100, 100, CV_8UC3)), std::invalid_argument);
}

// Only a page with resolution to spare and crisp print is read small.
TEST(ReadingDpi, SharpSizeOnlyForCrispWellResolvedPages) {
  EXPECT_EQ(ocr::reading_dpi(300, 1.5, 220, 190), 190);
  EXPECT_EQ(ocr::reading_dpi(600, 1.0, 220, 190), 190);
  EXPECT_EQ(ocr::reading_dpi(ocr::kWellResolvedDpi, ocr::kCrispEdgeWidth, 220, 190), 190);
  EXPECT_EQ(ocr::reading_dpi(ocr::kWellResolvedDpi - 1, 1.5, 220, 190), 220);    // small text
  EXPECT_EQ(ocr::reading_dpi(300, ocr::kCrispEdgeWidth + 0.01, 220, 190), 220);  // soft
  EXPECT_EQ(ocr::reading_dpi(300, 0, 220, 190), 220);   // sharpness unknown
  EXPECT_EQ(ocr::reading_dpi(80, 1.2, 220, 190), 220);  // a phone photo
}

TEST(TextScale, ClampsAndLimitsPixels) {
  const cv::Size a4(2480, 3508);
  EXPECT_DOUBLE_EQ(ocr::text_scale(a4, 300, 300), 1.0);
  EXPECT_DOUBLE_EQ(ocr::text_scale(a4, 600, 200), 200.0 / 600);
  EXPECT_DOUBLE_EQ(ocr::text_scale(a4, 10, 300), std::sqrt(60e6 / a4.area()));  // pixel limit
  EXPECT_DOUBLE_EQ(ocr::text_scale(cv::Size(600, 800), 20, 300), 4.0);          // at most 4x
  EXPECT_DOUBLE_EQ(ocr::text_scale(a4, 5000, 200), 0.25);                       // at least 1/4
  EXPECT_DOUBLE_EQ(ocr::text_scale(a4, 0, 300), 1.0);  // unmeasured: unchanged
}

// The deskew stage brings a phone-sized page to the reading scale, whatever
// its file claims, and records the resolution its text implies.
TEST(DeskewStage, ScalesAPhotoByItsTextNotItsFile) {
  pipeline::DeskewStage stage;
  pipeline::Page page;
  page.image = page_at(80);
  page.dpi = 300;  // what a phone's file claims
  const int width = page.image.cols;
  page = stage.run(std::move(page));
  EXPECT_NEAR(page.text_dpi, 80, 10);
  EXPECT_NEAR(page.dpi, pipeline::DeskewStage::kReadDpi, 0.08 * pipeline::DeskewStage::kReadDpi);
  EXPECT_NEAR(double(page.image.cols) / width, double(page.dpi) / page.text_dpi, 0.02);
}

// A crisp 600 dpi page has resolution to spare: it is read at the sharp size
// (the default's, and a smaller one when asked for).
TEST(DeskewStage, ScalesA600DpiPageDown) {
  pipeline::DeskewStage stage;
  pipeline::Page small;
  small.image = page_at(600);
  small.dpi = 600;
  small = pipeline::DeskewStage(220, 190).run(std::move(small));
  EXPECT_NEAR(small.dpi, 190, 0.08 * 190);
  pipeline::Page page;
  page.image = page_at(600);
  page.dpi = 600;
  page = stage.run(std::move(page));
  EXPECT_NEAR(page.text_dpi, 600, 72);
  EXPECT_LT(page.image.cols, 8.27 * 600 / 2);
  EXPECT_NEAR(page.dpi, pipeline::DeskewStage::kSharpReadDpi,
              0.08 * pipeline::DeskewStage::kSharpReadDpi);
}

// Given a sharp size, the same 300 dpi page is read at it when crisp and at
// the full reading size when blurred: soft strokes need the pixels.
TEST(DeskewStage, ReadsACrispScanSmallerThanABlurredOne) {
  pipeline::DeskewStage stage(220, 190);
  pipeline::Page crisp;
  crisp.image = page_at(300);
  crisp.dpi = 300;
  pipeline::Page soft = crisp;
  soft.image = cv::Mat();  // its own pixels, not the crisp page's
  cv::GaussianBlur(crisp.image, soft.image, cv::Size(0, 0), 1.5);
  crisp = stage.run(std::move(crisp));
  soft = stage.run(std::move(soft));
  EXPECT_NEAR(crisp.text_dpi, 300, 36);
  EXPECT_NEAR(soft.text_dpi, 300, 36);
  EXPECT_NEAR(crisp.dpi, 190, 0.08 * 190);
  EXPECT_NEAR(soft.dpi, 220, 0.08 * 220);
  EXPECT_NEAR(double(crisp.image.cols) / 2480, double(crisp.dpi) / crisp.text_dpi, 0.02);
}

// A stage built with no separate sharp size (the default) reads every page
// at one size.
TEST(DeskewStage, OneReadingSizeWhenAskedFor) {
  pipeline::Page crisp;
  crisp.image = page_at(300);
  crisp.dpi = 300;
  crisp = pipeline::DeskewStage().run(std::move(crisp));
  EXPECT_NEAR(crisp.dpi, pipeline::DeskewStage::kReadDpi, 0.08 * pipeline::DeskewStage::kReadDpi);
  pipeline::DeskewStage stage(220, 220);
  pipeline::Page page;
  page.image = page_at(300);
  page.dpi = 300;
  page = stage.run(std::move(page));
  EXPECT_NEAR(page.dpi, 220, 0.08 * 220);
}

// A page without text keeps its file's dpi as a hint: up to 300 when under.
TEST(DeskewStage, BlankPageFallsBackToTheFileDpi) {
  pipeline::DeskewStage stage;
  pipeline::Page page;
  page.image = cv::Mat(1169, 827, CV_8UC1, cv::Scalar(255));
  page.dpi = 100;
  page = stage.run(std::move(page));
  EXPECT_EQ(page.text_dpi, 0);
  EXPECT_EQ(page.dpi, 300);
  EXPECT_NEAR(page.image.cols, 2481, 2);
}
