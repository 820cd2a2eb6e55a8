// The line guard stage with the real Tesseract model on a line rendered
// here: an unsure line is read again from the page before clean-up and the
// surer reading kept; sure lines, pages without the unclean image and
// re-readings that lost words keep the page's reading.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>
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

// Ten different lines of a letter, one page, a blank line between each
// (a line read again is read with a margin).
constexpr const char* kLetter =
    "Căn cứ Luật Tổ chức chính quyền địa phương\n\n"
    "Xét đề nghị của Trưởng phòng Nội vụ huyện\n\n"
    "Ủy ban nhân dân xã Hòa Đồng quyết định\n\n"
    "Giao cho Văn phòng thực hiện việc số hóa\n\n"
    "Các phòng ban chịu trách nhiệm thi hành\n\n"
    "Quyết định này có hiệu lực kể từ ngày ký\n\n"
    "Nơi nhận như trên để biết và thực hiện\n\n"
    "Chủ tịch Ủy ban nhân dân xã ký ban hành\n\n"
    "Lưu văn thư và hồ sơ công việc của xã\n\n"
    "Người ký Nguyễn Văn An chủ tịch xã";

std::vector<sohoa::ocr::Line*> lines_of(sohoa::ocr::PageText& text) {
  std::vector<sohoa::ocr::Line*> lines;
  for (auto& block : text.blocks)
    for (auto& line : block.lines) lines.push_back(&line);
  return lines;
}

// A letter read with every line unsure (confidence 30-50) and its unclean
// image blank: no re-reading has words, so none is taken. Line `misread`
// (if ≥ 0) is instead made wrong (each letter an x, its confidence kept) and kept
// on the unclean image, so its re-reading is taken.
struct GuardedLetter {
  sohoa::ocr::PageText text;
  cv::Mat unclean;
  std::vector<std::string> read;  // each line's text as first read
};

GuardedLetter unsure_letter(sohoa::ocr::TesseractReader& reader, int misread) {
  GuardedLetter letter;
  const cv::Mat image = line_page(kLetter);
  letter.text = reader.read(image, 300);
  letter.unclean = cv::Mat(image.size(), CV_8UC1, cv::Scalar(255));
  std::vector<sohoa::ocr::Line*> lines = lines_of(letter.text);
  EXPECT_EQ(lines.size(), 10u) << letter.text.text;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    sohoa::ocr::Line& line = *lines[i];
    letter.read.push_back(line.text);
    // 30, 35, 40, 45, then 50: the lines are read again in page order.
    for (auto& word : line.words) word.confidence = std::min(30.0f + 5 * i, 50.0f);
    if (static_cast<int>(i) != misread) continue;
    const cv::Rect box(line.box.x, line.box.y, line.box.w, line.box.h);
    image(box).copyTo(letter.unclean(box));
    line.text.clear();
    for (auto& word : line.words) {
      int letters = 0;
      for (unsigned char c : word.text) letters += (c & 0xC0) != 0x80;
      word.text = std::string(letters, 'x');
      line.text += (line.text.empty() ? "" : " ") + word.text;
    }
  }
  sohoa::ocr::finish_page(letter.text);
  return letter;
}

TEST_F(GuardStageTest, GivesThePageUpAfterSixReReadsInARowNotTaken) {
  GuardedLetter letter = unsure_letter(reader_, -1);
  const float mean = letter.text.mean_confidence;
  sohoa::ocr::LineReader lines;
  sohoa::ocr::LineGuardStats stats =
      sohoa::ocr::guard_lines(letter.text, letter.unclean, 300, lines);
  EXPECT_EQ(stats.lines_read, 6);
  EXPECT_EQ(stats.lines_taken, 0);
  EXPECT_TRUE(stats.gave_up);
  // The lines left unread keep their reading and its doubt.
  std::vector<sohoa::ocr::Line*> after = lines_of(letter.text);
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i]->text, letter.read[i]);
  EXPECT_FLOAT_EQ(letter.text.mean_confidence, mean);
  // Without the give-up every unsure line is read again.
  GuardedLetter all = unsure_letter(reader_, -1);
  sohoa::ocr::LineGuardOptions patient;
  patient.give_up_after = 100;
  stats = sohoa::ocr::guard_lines(all.text, all.unclean, 300, lines, patient);
  EXPECT_EQ(stats.lines_read, 10);
  EXPECT_FALSE(stats.gave_up);
}

TEST_F(GuardStageTest, ATakenReReadingStartsTheCountAgain) {
  // Line 0 not taken, line 1 taken, lines 2-7 not taken: given up with
  // lines 8 and 9 unread.
  GuardedLetter letter = unsure_letter(reader_, 1);
  sohoa::ocr::LineReader lines;
  sohoa::ocr::LineGuardStats stats =
      sohoa::ocr::guard_lines(letter.text, letter.unclean, 300, lines);
  EXPECT_EQ(stats.lines_read, 8);
  EXPECT_EQ(stats.lines_taken, 1);
  EXPECT_TRUE(stats.gave_up);
  std::vector<sohoa::ocr::Line*> after = lines_of(letter.text);
  ASSERT_EQ(after.size(), 10u);
  EXPECT_EQ(after[1]->text, letter.read[1]);
}

TEST(UnsureLines, ListsTheUnsureLinesWithWordsInReadingOrderWithTheirConfidence) {
  sohoa::ocr::PageText text;
  text.blocks.resize(2);
  text.blocks[0].lines.resize(3);
  text.blocks[0].lines[0].words = {{"Căn", {}, 95}};
  text.blocks[0].lines[1].words = {{"cứ", {}, 60}, {"Luật", {}, 90}};
  text.blocks[1].lines.resize(1);
  text.blocks[1].lines[0].words = {{"số", {}, 91.5f}};
  std::vector<sohoa::ocr::UnsureLine> unsure = sohoa::ocr::unsure_lines(text, 92);
  ASSERT_EQ(unsure.size(), 2u);
  EXPECT_EQ(unsure[0].line, &text.blocks[0].lines[1]);
  EXPECT_FLOAT_EQ(unsure[0].confidence, (60 * 2 + 90 * 4) / 6.0f);
  EXPECT_EQ(unsure[1].line, &text.blocks[1].lines[0]);
  EXPECT_FLOAT_EQ(unsure[1].confidence, 91.5f);
}

TEST(LineConfidence, WeighsWordsByTheirCharacters) {
  sohoa::ocr::Line line;
  line.words = {{"ĐỊNH", {}, 90}, {"a", {}, 30}};
  EXPECT_FLOAT_EQ(sohoa::ocr::line_confidence(line), (90 * 4 + 30) / 5.0f);
  EXPECT_FLOAT_EQ(sohoa::ocr::line_confidence(sohoa::ocr::Line{}), 0);
}

}  // namespace
