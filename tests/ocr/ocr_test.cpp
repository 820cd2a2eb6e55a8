// The OCR stage with the real Tesseract `vie` model on a page rendered here.
#include <gtest/gtest.h>

#include <cstring>
#include <vips/vips8>

#include "ocr/layout_json.h"
#include "ocr/tesseract_reader.h"

namespace {

cv::Mat render(const std::string& markup) {
  vips::VImage text = vips::VImage::text(
      markup.c_str(), vips::VImage::option()->set("font", "DejaVu Serif 13")->set("dpi", 300));
  // text() gives ink as 0..255 on black; make black ink on white paper with a margin.
  vips::VImage page = (255 - text)
                          .embed(150, 150, text.width() + 300, text.height() + 300,
                                 vips::VImage::option()->set("extend", VIPS_EXTEND_WHITE));
  page = page.cast(VIPS_FORMAT_UCHAR);
  size_t size = 0;
  void* pixels = page.write_to_memory(&size);
  cv::Mat mat(page.height(), page.width(), CV_8UC1);
  std::memcpy(mat.data, pixels, size);
  g_free(pixels);
  return mat;
}

class OcrTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { VIPS_INIT("ocr_test"); }
};

TEST_F(OcrTest, ReadsVietnameseLinesWithBoxes) {
  cv::Mat page = render(
      "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG\nSố: 392/QĐ-UBND\n\nQUYẾT ĐỊNH\n"
      "Về việc cấp giấy phép xây dựng nhà ở riêng lẻ");
  sohoa::ocr::TesseractReader reader;
  auto text = reader.read(page, 300);
  EXPECT_NE(text.text.find("ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG"), std::string::npos) << text.text;
  EXPECT_NE(text.text.find("QUYẾT ĐỊNH"), std::string::npos) << text.text;
  EXPECT_NE(text.text.find("Về việc cấp giấy phép xây dựng nhà ở riêng lẻ"), std::string::npos)
      << text.text;
  EXPECT_GT(text.mean_confidence, 80.0f);
  EXPECT_EQ(text.width, page.cols);
  ASSERT_FALSE(text.blocks.empty());
  const auto& first_line = text.blocks.front().lines.front();
  EXPECT_EQ(first_line.words.front().text, "ỦY");
  // The first word starts near the left margin of 150 px, in the top lines.
  EXPECT_NEAR(first_line.words.front().box.x, 150, 20);
  EXPECT_LT(first_line.words.front().box.y, 250);
  EXPECT_GT(first_line.words.front().box.w, 20);
}

TEST_F(OcrTest, BlankPageGivesNoWords) {
  cv::Mat blank(1000, 800, CV_8UC1, cv::Scalar(255));
  sohoa::ocr::TesseractReader reader;
  auto text = reader.read(blank, 300);
  EXPECT_TRUE(text.blocks.empty());
  EXPECT_EQ(text.text, "");
  EXPECT_EQ(text.mean_confidence, 0.0f);
}

TEST_F(OcrTest, RefusesNonGreyImages) {
  sohoa::ocr::TesseractReader reader;
  cv::Mat colour(100, 100, CV_8UC3);
  EXPECT_THROW(reader.read(colour, 300), sohoa::ocr::OcrError);
  EXPECT_THROW(reader.read(cv::Mat(), 300), sohoa::ocr::OcrError);
}

TEST_F(OcrTest, UnknownLanguageIsAClearError) {
  sohoa::ocr::ReaderOptions options;
  options.language = "xyz";
  try {
    sohoa::ocr::TesseractReader reader(options);
    FAIL() << "loaded a language that does not exist";
  } catch (const sohoa::ocr::OcrError& e) {
    EXPECT_NE(std::string(e.what()).find("xyz"), std::string::npos);
  }
}

TEST_F(OcrTest, LayoutSurvivesJsonRoundTrip) {
  sohoa::ocr::TesseractReader reader;
  auto text = reader.read(render("Số: 15/GP-UBND\nHòa Đồng, ngày 03 tháng 6 năm 2022"), 300);
  auto back = sohoa::ocr::layout_from_json(sohoa::ocr::layout_to_json(text));
  EXPECT_EQ(back.text, text.text);
  EXPECT_EQ(back.width, text.width);
  ASSERT_EQ(back.blocks.size(), text.blocks.size());
  EXPECT_EQ(back.blocks[0].lines[0].words[0].box.x, text.blocks[0].lines[0].words[0].box.x);
  EXPECT_THROW(sohoa::ocr::layout_from_json("{\"blocks\": 3"), std::runtime_error);
}

}  // namespace
