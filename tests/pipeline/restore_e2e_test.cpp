#include <gtest/gtest.h>
#include <tesseract/baseapi.h>

#include <cstdlib>
#include <memory>

#include "pipeline/stages/clean.h"
#include "pipeline/stages/deskew.h"
#include "pipeline/stages/orient.h"
#include "tests/support/restore_render.h"
#include "text/cer.h"
#include "text/vntext.h"

using namespace sohoa;
namespace render = sohoa::testing;

namespace {

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

bool has_line(const std::string& text, const std::string& wanted) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text::collapse_spaces(text.substr(start, end - start)) == wanted) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

// A damaged scan (grey uneven paper, specks, a dark lid shadow) of a page
// skewed 12° and upside down reads, once restored, with its known lines.
TEST(RestoreEndToEnd, PageSkewed12AndUpsideDownReadsItsLines) {
  const cv::Mat upright = render::render_page();
  pipeline::Page page;
  page.image = render::degrade(render::scan(upright, 12.0, 180), 11);
  page.dpi = 300;

  pipeline::OrientStage orient;
  pipeline::DeskewStage deskew;
  pipeline::CleanStage clean;
  page = clean.run(deskew.run(orient.run(std::move(page))));

  EXPECT_EQ(page.rotation, 180);
  EXPECT_NEAR(page.skew_deg, 12.0, 0.3);
  std::string text = read_with_tesseract(page.image, page.dpi);
  double cer = text::character_error_rate(truth_text(), text);
  std::printf("CER after restoration: %.2f%%\n", 100 * cer);
  EXPECT_LE(cer, 0.02) << text;
  for (const char* line : {"Mã hồ sơ: H46.57-220603-3392",
                           "Điều 1. Cấp giấy phép xây dựng cho ông Đặng Minh Bình, sinh năm 1978,",
                           "số định danh cá nhân 054236051354, thường trú tại thôn Phú Thứ.",
                           "Về việc cấp giấy phép xây dựng nhà ở riêng lẻ"})
    EXPECT_TRUE(has_line(text, line)) << line << "\n--- read:\n" << text;

  // Without restoration the same scan is unreadable: the test can fail.
  cv::Mat raw = render::degrade(render::scan(upright, 12.0, 180), 11);
  EXPECT_GT(text::character_error_rate(truth_text(), read_with_tesseract(raw, 300)), 0.5);
}
