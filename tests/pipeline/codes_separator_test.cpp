// The codes stage reads separator sheets and codes printed on documents:
// generated sheets turned 90/180/270, skewed, at 200 dpi, noisy, through the
// PDF `sohoa separator` writes; and no code on pages without one.
#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <random>

#include "export/separator_sheet.h"
#include "pipeline/stages/codes.h"
#include "pipeline/stages/load.h"
#include "tests/support/test_support.h"

namespace {

using sohoa::exports::render_separator_sheet;
using sohoa::pipeline::read_codes;
namespace fs = std::filesystem;

cv::Mat turned(const cv::Mat& m, int rotation) {
  cv::Mat out;
  if (rotation == 90) cv::rotate(m, out, cv::ROTATE_90_COUNTERCLOCKWISE);
  if (rotation == 180) cv::rotate(m, out, cv::ROTATE_180);
  if (rotation == 270) cv::rotate(m, out, cv::ROTATE_90_CLOCKWISE);
  return rotation == 0 ? m.clone() : out;
}

cv::Mat skewed(const cv::Mat& m, double deg) {
  cv::Mat out;
  cv::Mat r = cv::getRotationMatrix2D(cv::Point2f(m.cols / 2.f, m.rows / 2.f), deg, 1.0);
  cv::warpAffine(m, out, r, m.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

// A scanner's worst: blur, grey paper, Gaussian noise and salt-and-pepper specks.
cv::Mat noisy(const cv::Mat& m, unsigned seed) {
  cv::Mat out;
  cv::GaussianBlur(m, out, cv::Size(0, 0), 1.2);
  out.convertTo(out, CV_32F, 0.75, 40);  // ink ~40, paper ~231
  cv::Mat noise(out.size(), CV_32F);
  cv::randn(noise, 0, 25);
  out += noise;
  out.convertTo(out, CV_8U);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> x(0, out.cols - 1), y(0, out.rows - 1);
  for (size_t i = 0; i < out.total() / 200; ++i) out.at<uchar>(y(rng), x(rng)) = (i % 2) ? 0 : 255;
  return out;
}

bool holds_separator(const cv::Mat& page) {
  return sohoa::pipeline::has_separator_code(read_codes(page));
}

TEST(Separator, SheetReadsUprightAt300Dpi) {
  cv::Mat sheet = render_separator_sheet(300);
  EXPECT_EQ(sheet.cols, 2480);
  EXPECT_EQ(sheet.rows, 3508);
  std::vector<std::string> codes = read_codes(sheet);
  ASSERT_FALSE(codes.empty());
  EXPECT_EQ(codes, std::vector<std::string>{"SOHOA-SEPARATOR"});
}

TEST(Separator, SheetReadsAtEveryOrientation) {
  cv::Mat sheet = render_separator_sheet(300);
  for (int rotation : {90, 180, 270}) {
    EXPECT_TRUE(holds_separator(turned(sheet, rotation))) << "turned " << rotation;
  }
}

TEST(Separator, SheetReadsAt200DpiSkewedAndNoisy) {
  cv::Mat at200 = render_separator_sheet(200);
  EXPECT_EQ(at200.cols, 1654);
  EXPECT_TRUE(holds_separator(at200));
  EXPECT_TRUE(holds_separator(skewed(at200, 4.0)));
  EXPECT_TRUE(holds_separator(turned(noisy(at200, 1), 180)));
  EXPECT_TRUE(holds_separator(noisy(skewed(render_separator_sheet(300), -3.0), 2)));
  EXPECT_TRUE(holds_separator(turned(noisy(skewed(at200, 2.5), 3), 90)));
}

TEST(Separator, PatchTBarcodeCounts) {
  // Other scanning software prints the patch-code name as a Code 39 barcode.
  ZXing::BitMatrix bars =
      ZXing::MultiFormatWriter(ZXing::BarcodeFormat::Code39).setMargin(0).encode("PATCHT", 0, 1);
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(255));
  cv::Rect at(600, 1500, 1200, 300);
  for (int y = 0; y < at.height; ++y)
    for (int x = 0; x < at.width; ++x)
      if (bars.get(x * bars.width() / at.width, 0)) page.at<uchar>(at.y + y, at.x + x) = 0;
  EXPECT_EQ(read_codes(page), std::vector<std::string>{"PATCHT"});
  EXPECT_TRUE(holds_separator(turned(page, 270)));
}

TEST(Separator, ContentsCompared) {
  using sohoa::pipeline::is_separator_code;
  EXPECT_TRUE(is_separator_code("SOHOA-SEPARATOR"));
  EXPECT_TRUE(is_separator_code(" patcht\n"));
  EXPECT_FALSE(is_separator_code("PATCH"));
  EXPECT_FALSE(is_separator_code("SOHOA-SEPARATOR-2"));
  EXPECT_FALSE(is_separator_code("H46.57-220603-3392"));
}

TEST(Codes, BlankAndTextPagesHaveNone) {
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(250));
  EXPECT_TRUE(read_codes(page).empty());
  for (int line = 0; line < 60; ++line) {
    cv::putText(page, "CONG HOA XA HOI CHU NGHIA VIET NAM - Doc lap Tu do Hanh phuc 1234567",
                cv::Point(150, 200 + line * 52), cv::FONT_HERSHEY_SIMPLEX, 1.4, cv::Scalar(0), 3);
  }
  EXPECT_TRUE(read_codes(page).empty());
  EXPECT_TRUE(read_codes(cv::Mat()).empty());
}

TEST(Codes, DossierCodeInAQrOnADocument) {
  // A small QR (20 mm) in the corner of a text page, as one-stop-shop results print it.
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(255));
  for (int line = 0; line < 40; ++line) {
    cv::putText(page, "Uy ban nhan dan xa Hoa Dong cap giay phep xay dung so 392",
                cv::Point(150, 900 + line * 60), cv::FONT_HERSHEY_SIMPLEX, 1.4, cv::Scalar(0), 3);
  }
  ZXing::BitMatrix qr =
      ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
          .setMargin(0)
          .encode("https://dichvucong.gov.vn/tra-cuu?ma=H46.57-220603-3392", 0, 0);
  int side = 236;  // 20 mm at 300 dpi
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x)
      if (qr.get(x * qr.width() / side, y * qr.height() / side))
        page.at<uchar>(3100 + y, 2100 + x) = 0;
  std::vector<std::string> codes = read_codes(turned(page, 180));
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0], "https://dichvucong.gov.vn/tra-cuu?ma=H46.57-220603-3392");
  EXPECT_EQ(sohoa::pipeline::dossier_code_in(codes), "H46.57-220603-3392");

  std::vector<sohoa::storage::Field> fields = {{"doc_number", "392/GPXD", 0.9}};
  EXPECT_TRUE(sohoa::pipeline::dossier_code_from_codes(fields, codes));
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[1].name, "dossier_code");
  EXPECT_EQ(fields[1].value, "H46.57-220603-3392");
  EXPECT_EQ(fields[1].confidence, 1.0);
  // The text's own dossier code is kept.
  std::vector<sohoa::storage::Field> read = {{"dossier_code", "H46.57-220603-0001", 0.9}};
  EXPECT_FALSE(sohoa::pipeline::dossier_code_from_codes(read, codes));
  EXPECT_EQ(read[0].value, "H46.57-220603-0001");
  EXPECT_EQ(sohoa::pipeline::dossier_code_in({"SOHOA-SEPARATOR", "ma H46-220603"}), "");
}

TEST(Separator, PdfFromTheCommandLoadsAndReads) {
  sohoa::testing::TempDir dir;
  fs::path pdf = dir / "separator.pdf";
  auto r = sohoa::testing::run({sohoa::testing::sohoa_bin(), "separator", "--out", pdf.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string bytes = sohoa::testing::read_file(pdf);
  EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
  EXPECT_LT(bytes.size(), 200u * 1024);
  sohoa::pipeline::ScanFile scan(pdf);
  ASSERT_EQ(scan.page_count(), 1);
  sohoa::pipeline::Page page = scan.load_page(1);
  EXPECT_EQ(page.image.cols, 2480);
  EXPECT_EQ(page.image.rows, 3508);
  EXPECT_TRUE(holds_separator(page.image));
  // Same bytes every time; a folder that does not exist is a usage error.
  fs::path again = dir / "again.pdf";
  sohoa::testing::run({sohoa::testing::sohoa_bin(), "separator", "--out", again.string()});
  EXPECT_EQ(sohoa::testing::read_file(again), bytes);
  auto bad = sohoa::testing::run(
      {sohoa::testing::sohoa_bin(), "separator", "--out", (dir / "no/such/x.pdf").string()});
  EXPECT_EQ(bad.exit_code, 1);
}

}  // namespace
