#include "ocr/dewarp.h"

#include <gtest/gtest.h>
#include <tesseract/baseapi.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "ocr/text_size.h"
#include "pipeline/stages/dewarp.h"
#include "tests/support/restore_render.h"
#include "text/cer.h"
#include "text/vntext.h"

using namespace sohoa;
namespace render = sohoa::testing;

namespace {

// The test page at 220 dpi, the size deskew leaves pages at for reading.
constexpr int kDpi = 220;

const cv::Mat& flat_page() {
  static const cv::Mat page = [] {
    cv::Mat small;
    cv::resize(render::render_page(), small, cv::Size(), kDpi / 300.0, kDpi / 300.0,
               cv::INTER_AREA);
    return small;
  }();
  return page;
}

double x_height_of(const cv::Mat& page) {
  const ocr::TextSize size = ocr::estimate_text_size(page);
  return size.found ? size.x_height : 0;
}

// The page as photographed lying over a cylinder whose axis runs down the
// page: each column shifted down by `depth` px times (1 - cos) of its angle
// round the cylinder, so every line sags into the same known arc, deepest at
// the left and right edges; plus a sine ripple of `ripple` px over the width.
cv::Mat curved(const cv::Mat& page, double depth, double ripple) {
  cv::Mat map_x(page.size(), CV_32F), map_y(page.size(), CV_32F);
  for (int y = 0; y < page.rows; ++y)
    for (int x = 0; x < page.cols; ++x) {
      const double u = 2.0 * x / page.cols - 1;  // -1 .. 1 across the page
      const double sag =
          depth * (1 - std::cos(u * 1.2)) / (1 - std::cos(1.2)) + ripple * std::sin(u * 3.14159265);
      map_x.at<float>(y, x) = static_cast<float>(x);
      map_y.at<float>(y, x) = static_cast<float>(y - sag);
    }
  cv::Mat out;
  cv::remap(page, out, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

std::string read_with_tesseract(const cv::Mat& grey, int dpi) {
  setenv("OMP_THREAD_LIMIT", "1", 0);
  tesseract::TessBaseAPI api;
  if (api.Init(nullptr, "vie", tesseract::OEM_LSTM_ONLY) != 0) return "";
  api.SetPageSegMode(tesseract::PSM_AUTO);
  api.SetImage(grey.data, grey.cols, grey.rows, 1, static_cast<int>(grey.step));
  api.SetSourceResolution(dpi);
  std::unique_ptr<char[]> text(api.GetUTF8Text());
  api.End();
  return text ? text::nfc(text.get()) : "";
}

std::string truth_text() {
  std::string all;
  for (const auto& line : render::page_lines()) all += line + "\n";
  return all;
}

pipeline::Page page_at_read_size(const cv::Mat& image) {
  pipeline::Page page;
  page.image = image.clone();
  page.dpi = kDpi;
  page.text_dpi = kDpi;
  return page;
}

}  // namespace

TEST(Dewarp, FlatPageIsNotCurvedAndPassesTheStageUntouched) {
  const cv::Mat& flat = flat_page();
  const double xh = x_height_of(flat);
  ASSERT_GT(xh, 10);
  const ocr::PageCurvature c = ocr::measure_curvature(flat, xh);
  EXPECT_GE(c.long_lines, 10);
  EXPECT_LT(c.bend, 0.15);
  EXPECT_LT(c.fan, 0.3);
  EXPECT_FALSE(c.curved);

  pipeline::DewarpStage stage;
  EXPECT_STREQ(stage.name(), "dewarp");
  pipeline::Page page = stage.run(page_at_read_size(flat));
  EXPECT_FALSE(page.dewarped);
  EXPECT_EQ(cv::norm(page.image, flat, cv::NORM_INF), 0);
}

TEST(Dewarp, SlightlySkewedFlatPageIsNotCurved) {
  // A residual skew deskew missed is a straight line, not a bend.
  const cv::Mat skewed = render::scan(flat_page(), 0.4, 0);
  const ocr::PageCurvature c = ocr::measure_curvature(skewed, x_height_of(flat_page()));
  EXPECT_LT(c.bend, 0.15);
  EXPECT_FALSE(c.curved);
}

TEST(Dewarp, CurvedPageLinesComeOutStraightAndReadBetter) {
  const cv::Mat& flat = flat_page();
  const double xh = x_height_of(flat);
  const cv::Mat bent = curved(flat, 2.0 * xh, 0.5 * xh);
  const ocr::PageCurvature before = ocr::measure_curvature(bent, xh);
  EXPECT_TRUE(before.curved);
  EXPECT_GT(before.bend, 0.6);

  pipeline::Page page = pipeline::DewarpStage().run(page_at_read_size(bent));
  ASSERT_TRUE(page.dewarped);
  EXPECT_EQ(page.image.size(), bent.size());
  const ocr::PageCurvature after = ocr::measure_curvature(page.image, xh);
  EXPECT_GE(after.long_lines, 10);
  EXPECT_LT(after.bend, 0.2) << "lines still bent after dewarp";
  EXPECT_FALSE(after.curved);
  // Nearly every long line straight and level within a third of an x-height
  // end to end (a few traced across a word gap may wobble at their ends).
  int long_lines = 0, straight = 0;
  for (const auto& line : after.lines) {
    if (line.x1 - line.x0 < flat.cols / 3) continue;
    double lo = 1e9, hi = -1e9;
    for (double x = line.x0; x <= line.x1; x += 8) {
      lo = std::min(lo, line.y_at(x)), hi = std::max(hi, line.y_at(x));
    }
    ++long_lines;
    straight += hi - lo < 0.35 * xh;
    std::printf("line at %6.1f: %5.2f x-heights from level\n", line.y_at(line.x0), (hi - lo) / xh);
  }
  EXPECT_GE(straight, 0.8 * long_lines);

  const double cer_bent = text::character_error_rate(truth_text(), read_with_tesseract(bent, kDpi));
  const double cer_dewarped =
      text::character_error_rate(truth_text(), read_with_tesseract(page.image, kDpi));
  std::printf("CER curved %.2f%%, dewarped %.2f%%\n", 100 * cer_bent, 100 * cer_dewarped);
  EXPECT_LT(cer_dewarped, 0.03);
  EXPECT_LT(cer_dewarped, cer_bent - 0.02);
}

TEST(Dewarp, BlankAndEmptyPagesAndBadArguments) {
  const cv::Mat blank(1200, 900, CV_8UC1, cv::Scalar(255));
  const ocr::PageCurvature c = ocr::measure_curvature(blank, 18);
  EXPECT_TRUE(c.lines.empty());
  EXPECT_FALSE(c.curved);
  EXPECT_EQ(cv::norm(ocr::dewarp(blank, c), blank, cv::NORM_INF), 0);

  // Noise has no lines to bend.
  cv::Mat noise(1200, 900, CV_8UC1);
  cv::randu(noise, 0, 256);
  EXPECT_FALSE(ocr::measure_curvature(noise, 18).curved);

  EXPECT_THROW(ocr::measure_curvature(cv::Mat(), 18), std::invalid_argument);
  EXPECT_THROW(ocr::measure_curvature(cv::Mat(100, 100, CV_8UC3), 18), std::invalid_argument);
  EXPECT_THROW(ocr::measure_curvature(blank, 0), std::invalid_argument);
  EXPECT_THROW(ocr::measure_curvature(blank, std::nan("")), std::invalid_argument);
  EXPECT_THROW(ocr::dewarp(cv::Mat(), c), std::invalid_argument);

  pipeline::DewarpStage stage;
  pipeline::Page empty;
  empty = stage.run(std::move(empty));
  EXPECT_TRUE(empty.image.empty());
  EXPECT_FALSE(empty.dewarped);
  // A page whose text size was not measured is left alone, curved or not.
  pipeline::Page unmeasured = page_at_read_size(curved(flat_page(), 40, 0));
  unmeasured.text_dpi = 0;
  const cv::Mat before = unmeasured.image.clone();
  unmeasured = stage.run(std::move(unmeasured));
  EXPECT_FALSE(unmeasured.dewarped);
  EXPECT_EQ(cv::norm(unmeasured.image, before, cv::NORM_INF), 0);
}
