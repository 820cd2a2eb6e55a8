// The field re-read stage and ocr::LineReader with the real Tesseract models
// on a header rendered here: an unsure number is read again, twice, and the
// extractor takes what both readings agree on; sure pages, empty images and
// regions off the page change nothing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vips/vips8>

#include "metadata/extract.h"
#include "ocr/line_reader.h"
#include "ocr/tesseract_reader.h"
#include "pipeline/stages/reread.h"
#include "tests/support/extract_fixtures.h"

namespace {

// Black text on white at 300 dpi, at the top left of an A4-wide page whose
// lower part is blank (the header band is the top 45%).
cv::Mat header_page(const std::string& markup) {
  vips::VImage text = vips::VImage::text(
      markup.c_str(), vips::VImage::option()->set("font", "DejaVu Serif 13")->set("dpi", 300));
  vips::VImage page = (255 - text)
                          .embed(200, 200, 2480, text.height() * 3 + 400,
                                 vips::VImage::option()->set("extend", VIPS_EXTEND_WHITE));
  page = page.cast(VIPS_FORMAT_UCHAR);
  size_t size = 0;
  void* pixels = page.write_to_memory(&size);
  cv::Mat mat(page.height(), page.width(), CV_8UC1);
  std::memcpy(mat.data, pixels, size);
  g_free(pixels);
  return mat;
}

sohoa::ocr::Word* find_word(sohoa::ocr::PageText& page, const std::string& text) {
  for (auto& block : page.blocks) {
    for (auto& line : block.lines) {
      for (auto& w : line.words) {
        if (w.text == text) return &w;
      }
    }
  }
  return nullptr;
}

class RereadStageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { VIPS_INIT("reread_stage_test"); }
};

TEST_F(RereadStageTest, LineReaderReadsOneRegionScaledUp) {
  cv::Mat page = header_page("ỦY BAN NHÂN DÂN\nSố: 699/QĐ-UBND");
  sohoa::ocr::TesseractReader reader;
  sohoa::ocr::PageText text = reader.read(page, 300);
  sohoa::ocr::Word* number = find_word(text, "699/QĐ-UBND");
  ASSERT_NE(number, nullptr) << text.text;

  sohoa::ocr::LineReader lines;
  sohoa::ocr::Line line = lines.read(page, number->box, 300, 2.0);
  EXPECT_EQ(line.text, "699/QĐ-UBND");
  ASSERT_EQ(line.words.size(), 1u);
  // Boxes come back in the page's pixels, where the word is.
  EXPECT_NEAR(line.words[0].box.x, number->box.x, number->box.h / 2);
  EXPECT_NEAR(line.words[0].box.y, number->box.y, number->box.h / 2);

  // Hostile regions: off the page, blank, of no size (Tesseract may see a
  // speck there, never a digit); a colour image.
  EXPECT_TRUE(lines.read(page, {page.cols + 10, 10, 300, 40}, 300, 2.0).words.empty());
  auto no_digit = [](const sohoa::ocr::Line& l) {
    return l.text.find_first_of("0123456789") == std::string::npos;
  };
  EXPECT_TRUE(no_digit(lines.read(page, {100, page.rows - 200, 600, 50}, 300, 2.0)));
  EXPECT_TRUE(no_digit(lines.read(page, {50, 50, 0, 0}, 300, 2.0)));
  EXPECT_THROW(lines.read(cv::Mat(100, 100, CV_8UC3), {0, 0, 50, 20}, 300, 2.0),
               sohoa::ocr::OcrError);
}

TEST_F(RereadStageTest, UnsureNumberIsReadAgainAndConfirmed) {
  sohoa::pipeline::Page page;
  page.image = header_page("ỦY BAN NHÂN DÂN\nXÃ HÒA ĐỒNG\nSố: 699/QĐ-UBND");
  page.dpi = 300;
  sohoa::ocr::TesseractReader reader;
  page.text = reader.read(page.image, 300);
  sohoa::pipeline::RereadStage stage;
  EXPECT_EQ(stage.engines_loaded(), 0);  // loaded on the first unsure region

  // Read surely: nothing to read again, and no engine loaded for it.
  sohoa::pipeline::Page sure = page;
  for (auto& block : sure.text.blocks) {
    for (auto& line : block.lines) {
      for (auto& w : line.words) w.confidence = 95;
    }
  }
  EXPECT_TRUE(stage.run(sure).text.rereads.empty());
  EXPECT_EQ(stage.engines_loaded(), 0);

  sohoa::ocr::Word* number = find_word(page.text, "699/QĐ-UBND");
  ASSERT_NE(number, nullptr) << page.text.text;
  number->confidence = 29;  // as a degraded scan reads it
  sohoa::pipeline::Page done = stage.run(page);
  ASSERT_EQ(done.text.rereads.size(), 1u);
  // Both models where the best one is installed, else one engine at 2x and 3x.
  EXPECT_EQ(stage.engines_loaded(), sohoa::ocr::best_tessdata_dir().empty() ? 1 : 2);
  EXPECT_EQ(stage.run(page).text.rereads.size(), 1u);
  EXPECT_EQ(stage.engines_loaded(), sohoa::ocr::best_tessdata_dir().empty() ? 1 : 2);
  const sohoa::ocr::Reread& r = done.text.rereads[0];
  ASSERT_EQ(r.readings.size(), 2u);
  // The page's model at 2x reads it; the other model may not (the best
  // model reads this render "609" at 2x, at 67-75): then the two disagree.
  EXPECT_NE(r.readings[0].text.find("699/QĐ-UBND"), std::string::npos) << r.readings[0].text;
  bool agree = r.readings[1].text == r.readings[0].text;
  // The region runs from "Số:" to the number.
  EXPECT_LT(r.box.x, number->box.x);
  EXPECT_GE(r.box.x + r.box.w, number->box.x + number->box.w);
  EXPECT_EQ(done.text.blocks.size(), page.text.blocks.size());  // the reading itself stays

  sohoa::metadata::MetadataExtractor extractor(sohoa::testing::fixtures::tay_hoa_units());
  EXPECT_EQ(extractor.extract({page.text}, "hoa-dong").field("doc_number"), nullptr);
  const auto* confirmed = extractor.extract({done.text}, "hoa-dong").field("doc_number");
  if (agree) {
    ASSERT_NE(confirmed, nullptr);
    EXPECT_EQ(confirmed->value, "699/QĐ-UBND");
  } else {
    EXPECT_EQ(confirmed, nullptr) << confirmed->value;  // never the other reading
  }

  // No pixels: the page passes unchanged.
  sohoa::pipeline::Page empty;
  empty.text = page.text;
  EXPECT_TRUE(stage.run(empty).text.rereads.empty());

  // A model file that goes away after the start fails the page that first
  // needs it, with Tesseract's reason, rather than reading it without.
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "reread_stage_test_gone";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(
      std::filesystem::path(sohoa::ocr::kSystemTessdataDir) / "vie.traineddata",
      dir / "vie.traineddata", std::filesystem::copy_options::overwrite_existing);
  sohoa::ocr::ReaderOptions gone;
  gone.tessdata_dir = dir.string();
  sohoa::pipeline::RereadStage late(gone);
  EXPECT_EQ(late.engines_loaded(), 0);
  std::filesystem::remove_all(dir);
  try {
    late.run(page);
    ADD_FAILURE() << "read with a model that is gone";
  } catch (const sohoa::ocr::OcrError& e) {
    EXPECT_NE(std::string(e.what()).find("'vie'"), std::string::npos) << e.what();
  }
}

// Fail early, load late: a model file that is not there is found at the
// start of a run, before any page, without loading the ones that are.
TEST_F(RereadStageTest, MissingModelFailsAtTheStart) {
  sohoa::ocr::ReaderOptions fast;
  EXPECT_TRUE(sohoa::ocr::model_file_present(fast));  // Debian's tesseract-ocr-vie
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "reread_stage_test_empty";
  std::filesystem::create_directories(dir);
  sohoa::ocr::ReaderOptions missing;
  missing.tessdata_dir = dir.string();
  EXPECT_FALSE(sohoa::ocr::model_file_present(missing));
  try {
    sohoa::pipeline::RereadStage stage(missing);
    ADD_FAILURE() << "started without the page's model";
  } catch (const sohoa::ocr::OcrError& e) {
    EXPECT_NE(std::string(e.what()).find("'vie'"), std::string::npos) << e.what();
  }

  // $TESSDATA_PREFIX moves the default folder, as it does for Tesseract.
  setenv("TESSDATA_PREFIX", dir.c_str(), 1);
  EXPECT_FALSE(sohoa::ocr::model_file_present(fast));
  unsetenv("TESSDATA_PREFIX");
  EXPECT_TRUE(sohoa::ocr::model_file_present(fast));
  std::filesystem::remove_all(dir);
}

}  // namespace
