// The line guard stage with the real Tesseract model on a line rendered
// here: an unsure line is read again from the page before clean-up and the
// surer reading kept; sure lines, pages without the unclean image and
// re-readings that lost words keep the page's reading.
#include <gtest/gtest.h>

#include <cstring>
#include <vips/vips8>

#include "ocr/line_guard.h"
#include "ocr/tesseract_reader.h"
#include "pipeline/stages/guard.h"

namespace {

constexpr const char* kLine = "Căn cứ Nghị định số 13/2018/NĐ-CP ngày 23 tháng 01";

// Black text on white at 300 dpi, one line with a wide margin.
cv::Mat line_page(const std::string& markup) {
  vips::VImage text = vips::VImage::text(
      markup.c_str(), vips::VImage::option()->set("font", "DejaVu Serif 12")->set("dpi", 300));
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

class GuardStageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { VIPS_INIT("guard_stage_test"); }

  // The page read, then its one line's words made wrong (each letter an x)
  // with confidence `confidence`, as a clean-up that broke the ink would
  // leave them.
  sohoa::pipeline::Page misread_page(float confidence) {
    sohoa::pipeline::Page page;
    page.image = line_page(kLine);
    page.unclean = page.image.clone();
    page.dpi = 300;
    page.text = reader_.read(page.image, 300);
    EXPECT_EQ(page.text.text, std::string(kLine) + "\n");
    for (auto& block : page.text.blocks) {
      for (auto& line : block.lines) {
        line.text.clear();
        for (auto& word : line.words) {
          int letters = 0;
          for (unsigned char c : word.text) letters += (c & 0xC0) != 0x80;
          word.text = std::string(letters, 'x');
          word.confidence = confidence;
          line.text += (line.text.empty() ? "" : " ") + word.text;
        }
      }
    }
    sohoa::ocr::finish_page(page.text);
    return page;
  }

  sohoa::ocr::TesseractReader reader_;
};

TEST_F(GuardStageTest, UnsureLineIsReadAgainFromThePageBeforeCleanUp) {
  sohoa::pipeline::Page page = misread_page(20);
  ASSERT_EQ(page.text.blocks.size(), 1u);
  const sohoa::ocr::Box line_box = page.text.blocks[0].lines[0].box;
  sohoa::pipeline::GuardStage guard;
  page = guard.run(std::move(page));
  const sohoa::ocr::Line& line = page.text.blocks[0].lines[0];
  EXPECT_EQ(line.text, kLine);
  EXPECT_EQ(page.text.text, std::string(kLine) + "\n");
  EXPECT_GT(page.text.mean_confidence, 20);
  EXPECT_TRUE(page.unclean.empty());
  // Its numbers keep the first reading's doubt; its words do not.
  for (const sohoa::ocr::Word& w : line.words) {
    bool digit = w.text.find_first_of("0123456789") != std::string::npos;
    if (digit) {
      EXPECT_LE(w.confidence, 20) << w.text;
    } else if (w.text == "Nghị") {
      EXPECT_GT(w.confidence, 50);
    }
  }
  // The words are placed where they are on the page.
  ASSERT_FALSE(line.words.empty());
  EXPECT_NEAR(line.words.front().box.x, line_box.x, line_box.h / 2);
  EXPECT_NEAR(line.words.front().box.y, line_box.y, line_box.h / 2);
  EXPECT_NEAR(line.words.back().box.x + line.words.back().box.w, line_box.x + line_box.w,
              line_box.h / 2);
}

TEST_F(GuardStageTest, SureLinesAndPagesWithoutTheUncleanImageKeepTheirReading) {
  sohoa::pipeline::GuardStage guard;
  // Sure (wrongly, but the guard cannot know): not read again.
  sohoa::pipeline::Page sure = guard.run(misread_page(99));
  EXPECT_EQ(sure.text.blocks[0].lines[0].text,
            "xxx xx xxxx xxxx xx xxxxxxxxxxxxx xxxx xx xxxxx xx");
  EXPECT_TRUE(sure.unclean.empty());
  // Clean-up did not run: nothing to read again from.
  sohoa::pipeline::Page no_unclean = misread_page(20);
  no_unclean.unclean.release();
  no_unclean = guard.run(std::move(no_unclean));
  EXPECT_EQ(no_unclean.text.blocks[0].lines[0].words[0].text, "xxx");
  // An image of another size is not the page's.
  sohoa::pipeline::Page other = misread_page(20);
  other.unclean = cv::Mat(10, 10, CV_8UC1, cv::Scalar(255));
  other = guard.run(std::move(other));
  EXPECT_EQ(other.text.blocks[0].lines[0].words[0].text, "xxx");
}

TEST_F(GuardStageTest, ReReadingThatLostWordsIsNotTaken) {
  sohoa::pipeline::Page page = misread_page(20);
  // The page's reading, unsure; the unclean image lost the line's right half.
  page.text = reader_.read(page.image, 300);
  for (auto& word : page.text.blocks[0].lines[0].words) word.confidence = 20;
  page.unclean.colRange(page.unclean.cols / 2, page.unclean.cols).setTo(255);
  page = sohoa::pipeline::GuardStage().run(std::move(page));
  EXPECT_EQ(page.text.blocks[0].lines[0].text, kLine);
  EXPECT_FLOAT_EQ(page.text.blocks[0].lines[0].words[0].confidence, 20);
}

TEST(LineConfidence, WeighsWordsByTheirCharacters) {
  sohoa::ocr::Line line;
  line.words = {{"ĐỊNH", {}, 90}, {"a", {}, 30}};
  EXPECT_FLOAT_EQ(sohoa::ocr::line_confidence(line), (90 * 4 + 30) / 5.0f);
  EXPECT_FLOAT_EQ(sohoa::ocr::line_confidence(sohoa::ocr::Line{}), 0);
}

}  // namespace
