// The input contract of the restoration functions (ocr/grey.h): an empty
// image or one that is not 8-bit grey is refused with std::invalid_argument
// naming the function, never read out of bounds; the few documented
// exceptions behave as their headers say.
#include <gtest/gtest.h>

#include <functional>
#include <opencv2/core.hpp>
#include <stdexcept>
#include <string>

#include "ocr/cleanup.h"
#include "ocr/orientation.h"
#include "ocr/restore_ink.h"
#include "ocr/skew.h"
#include "ocr/tesseract_reader.h"

namespace ocr = sohoa::ocr;

namespace {

const cv::Mat kEmpty;
const cv::Mat kColour(40, 30, CV_8UC3, cv::Scalar(255, 255, 255));
const cv::Mat kFloat(40, 30, CV_32FC1, cv::Scalar(1.0));

// Runs `f` on each bad image and expects std::invalid_argument whose message
// begins with `name`.
void expect_refused(const std::string& name, const std::function<void(const cv::Mat&)>& f) {
  for (const cv::Mat* bad : {&kEmpty, &kColour, &kFloat}) {
    try {
      f(*bad);
      ADD_FAILURE() << name << " accepted an image of type " << bad->type() << " size " << bad->cols
                    << "x" << bad->rows;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind(name + ":", 0), 0u) << e.what();
    }
  }
}

TEST(OcrContract, CleanupFunctionsRefuseEmptyAndNonGreyImages) {
  expect_refused("scale_to_dpi", [](const cv::Mat& m) { ocr::scale_to_dpi(m, 100); });
  expect_refused("remove_dark_borders", [](const cv::Mat& m) { ocr::remove_dark_borders(m); });
  expect_refused("flatten_background", [](const cv::Mat& m) { ocr::flatten_background(m); });
  expect_refused("remove_speckles", [](const cv::Mat& m) { ocr::remove_speckles(m, 300); });
  expect_refused("remove_dot_leaders", [](const cv::Mat& m) { ocr::remove_dot_leaders(m, 220); });
  expect_refused("remove_rules", [](const cv::Mat& m) { ocr::remove_rules(m, 220); });
  expect_refused("clean_page", [](const cv::Mat& m) {
    int dpi = 300;
    ocr::clean_page(m, dpi);
  });
  expect_refused("binarize", [](const cv::Mat& m) { ocr::binarize(m); });
}

TEST(OcrContract, GeometryFunctionsRefuseEmptyAndNonGreyImages) {
  expect_refused("page_ink", [](const cv::Mat& m) { ocr::page_ink(m); });
  expect_refused("page_ink", [](const cv::Mat& m) { ocr::estimate_skew(m); });
  expect_refused("page_ink", [](const cv::Mat& m) { ocr::detect_orientation(m); });
  expect_refused("rotate_and_scale",
                 [](const cv::Mat& m) { ocr::rotate_and_scale(m, 1.0, 1.0, 255); });
}

TEST(OcrContract, RotateAndScaleRefusesAScaleThatIsNotPositive) {
  cv::Mat page(40, 30, CV_8UC1, cv::Scalar(255));
  EXPECT_THROW(ocr::rotate_and_scale(page, 0, 0, 255), std::invalid_argument);
  EXPECT_THROW(ocr::rotate_and_scale(page, 0, -2, 255), std::invalid_argument);
  EXPECT_EQ(ocr::rotate_and_scale(page, 0, 2, 255).size(), cv::Size(60, 80));
}

TEST(OcrContract, TurnUprightTakesMultiplesOf90Only) {
  cv::Mat page(40, 30, CV_8UC1, cv::Scalar(255));
  EXPECT_EQ(ocr::turn_upright(page, 90).size(), cv::Size(40, 30));
  EXPECT_EQ(ocr::turn_upright(page, -90).size(), cv::Size(40, 30));
  EXPECT_EQ(ocr::turn_upright(page, 450).size(), cv::Size(40, 30));
  EXPECT_THROW(ocr::turn_upright(page, 45), std::invalid_argument);
  EXPECT_TRUE(ocr::turn_upright(kEmpty, 90).empty());
}

TEST(OcrContract, DocumentedEdgeCases) {
  EXPECT_EQ(ocr::paper_level(kEmpty), 255);
  cv::Mat tiny(3, 3, CV_8UC1, cv::Scalar(0));
  EXPECT_EQ(ocr::shrink(tiny, 4).size(), cv::Size(1, 1));
  EXPECT_TRUE(ocr::shrink(tiny(cv::Rect(0, 0, 2, 2)), 3).empty());
  EXPECT_EQ(ocr::shrink(tiny, 1).data, tiny.data);
  cv::Mat page(40, 30, CV_8UC1, cv::Scalar(200));
  EXPECT_EQ(ocr::scale_to_dpi(page, 0).data, page.data);    // unknown dpi: unchanged
  EXPECT_EQ(ocr::scale_to_dpi(page, 300).data, page.data);  // already there
  EXPECT_EQ(ocr::scale_to_dpi(page, 150).size(), cv::Size(60, 80));
  cv::Mat bw = ocr::binarize(page);
  double lo = 0, hi = 0;
  cv::minMaxLoc(bw, &lo, &hi);
  EXPECT_TRUE((lo == 0 || lo == 255) && (hi == 0 || hi == 255));
}

TEST(OcrContract, ReaderRefusesEmptyAndNonGreyWithOcrError) {
  ocr::TesseractReader reader;
  EXPECT_THROW(reader.read(kEmpty, 300), ocr::OcrError);
  EXPECT_THROW(reader.read(kColour, 300), ocr::OcrError);
  cv::Mat blank(200, 150, CV_8UC1, cv::Scalar(255));
  ocr::PageText text = reader.read(blank, 300);
  EXPECT_EQ(text.text, "");
  EXPECT_EQ(text.mean_confidence, 0);
}

}  // namespace
