// Which Vietnamese model a reader uses: the "best" one from sohoa's tessdata
// ($SOHOA_TESSDATA or the default folder) where installed, else Debian's.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "ocr/tesseract_reader.h"
#include "tests/support/restore_render.h"
#include "tests/support/test_support.h"

using namespace sohoa;

namespace {

struct TessdataEnv {
  explicit TessdataEnv(const std::string& dir) { setenv("SOHOA_TESSDATA", dir.c_str(), 1); }
  ~TessdataEnv() { unsetenv("SOHOA_TESSDATA"); }
};

}  // namespace

TEST(Model, FastIsDebiansDefault) {
  TessdataEnv env("/nonexistent");
  EXPECT_EQ(ocr::reader_options_for_model("fast").tessdata_dir, "");
}

TEST(Model, BestMissingIsAClearErrorAndDefaultFallsBackToFast) {
  sohoa::testing::TempDir empty;
  TessdataEnv env(empty.path().string());
  EXPECT_EQ(ocr::best_tessdata_dir(), "");
  try {
    ocr::reader_options_for_model("best");
    FAIL() << "expected OcrError";
  } catch (const ocr::OcrError& e) {
    EXPECT_NE(std::string(e.what()).find(empty.path().string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("scripts/install-deps"), std::string::npos);
  }
  EXPECT_EQ(ocr::reader_options_for_model("").tessdata_dir, "");
  EXPECT_THROW(ocr::reader_options_for_model("medium"), ocr::OcrError);
}

// A folder whose vie.traineddata is not a model: found by name, refused by
// Tesseract when the engine starts, with the usual message.
TEST(Model, BrokenBestModelFailsToStart) {
  sohoa::testing::TempDir dir;
  std::ofstream(dir.path() / "vie.traineddata") << "not a model";
  TessdataEnv env(dir.path().string());
  ocr::ReaderOptions options = ocr::reader_options_for_model("");
  EXPECT_EQ(options.tessdata_dir, dir.path().string());
  EXPECT_THROW(ocr::TesseractReader reader(options), ocr::OcrError);
}

// Where the best model is installed (scripts/install-deps), it is the
// default and reads a rendered line exactly as the fast one does.
TEST(Model, BestWhereInstalledReadsALine) {
  if (ocr::best_tessdata_dir().empty()) GTEST_SKIP() << "best model not installed";
  ocr::ReaderOptions options = ocr::reader_options_for_model("");
  EXPECT_EQ(options.tessdata_dir, ocr::best_tessdata_dir());
  cv::Mat line = sohoa::testing::render_line("Độc lập - Tự do - Hạnh phúc");
  cv::Mat page(line.rows + 200, line.cols + 200, CV_8UC1, cv::Scalar(255));
  sohoa::testing::paste(page, line, 100, 100);
  ocr::TesseractReader best(options);
  EXPECT_NE(best.read(page, 300).text.find("Độc lập - Tự do - Hạnh phúc"), std::string::npos);
}
