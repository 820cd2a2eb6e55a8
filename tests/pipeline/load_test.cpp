// The load stage on real files of every accepted kind, written here with
// libvips, and on broken ones.
#include "pipeline/stages/load.h"

#include <gtest/gtest.h>

#include <vips/vips8>

#include "tests/support/test_support.h"

using sohoa::pipeline::LoadError;
using sohoa::pipeline::LoadOptions;
using sohoa::pipeline::ScanFile;
using sohoa::testing::TempDir;

namespace {

// A grey page with a dark bar, at `dpi`.
vips::VImage test_page(int width, int height, double dpi) {
  vips::VImage page = vips::VImage::black(width, height) + 255;
  page = page.cast(VIPS_FORMAT_UCHAR);
  vips::VImage bar = vips::VImage::black(width / 2, height / 10).cast(VIPS_FORMAT_UCHAR);
  page = page.insert(bar, width / 4, height / 3);
  return page.copy(vips::VImage::option()->set("xres", dpi / 25.4)->set("yres", dpi / 25.4));
}

class LoadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { VIPS_INIT("load_test"); }
  TempDir dir;
};

TEST_F(LoadTest, PngKeepsSizeAndResolution) {
  auto path = dir / "page.png";
  test_page(400, 600, 200).write_to_file(path.c_str());
  ScanFile scan(path);
  EXPECT_EQ(scan.format(), "png");
  ASSERT_EQ(scan.page_count(), 1);
  auto page = scan.load_page(1);
  EXPECT_EQ(page.image.cols, 400);
  EXPECT_EQ(page.image.rows, 600);
  EXPECT_EQ(page.image.type(), CV_8UC1);
  EXPECT_EQ(page.dpi, 200);
  EXPECT_EQ(page.image.at<uchar>(0, 0), 255);
  EXPECT_EQ(page.image.at<uchar>(600 / 3 + 5, 200), 0);
}

TEST_F(LoadTest, MissingResolutionAssumes300) {
  auto path = dir / "page.jpg";
  vips::VImage img =
      test_page(400, 600, 200).copy(vips::VImage::option()->set("xres", 1.0)->set("yres", 1.0));
  img.write_to_file(path.c_str());
  EXPECT_EQ(ScanFile(path).load_page(1).dpi, 300);
}

TEST_F(LoadTest, MultiPageTiffGivesEveryPage) {
  auto path = dir / "stack.tif";
  vips::VImage p = test_page(300, 400, 300);
  vips::VImage stacked =
      vips::VImage::arrayjoin({p, p, p}, vips::VImage::option()->set("across", 1));
  stacked.set("page-height", 400);
  stacked.write_to_file(path.c_str());
  ScanFile scan(path);
  EXPECT_EQ(scan.format(), "tiff");
  ASSERT_EQ(scan.page_count(), 3);
  EXPECT_EQ(scan.load_page(3).image.rows, 400);
  EXPECT_THROW(scan.load_page(4), LoadError);
}

TEST_F(LoadTest, OneBitGroup4TiffLoadsAsBlackAndWhite) {
  auto path = dir / "g4.tif";
  test_page(800, 1000, 300)
      .write_to_file(path.c_str(), vips::VImage::option()
                                       ->set("compression", VIPS_FOREIGN_TIFF_COMPRESSION_CCITTFAX4)
                                       ->set("bitdepth", 1));
  auto page = ScanFile(path).load_page(1);
  EXPECT_EQ(page.image.cols, 800);
  EXPECT_EQ(page.dpi, 300);
  EXPECT_EQ(page.image.at<uchar>(0, 0), 255);
  EXPECT_EQ(page.image.at<uchar>(1000 / 3 + 5, 400), 0);
}

TEST_F(LoadTest, WebpAndColourJpegBecomeGrey) {
  vips::VImage rgb =
      test_page(300, 300, 300).bandjoin({test_page(300, 300, 300), test_page(300, 300, 300)});
  rgb = rgb.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  for (const char* name : {"c.webp", "c.jpg"}) {
    auto path = dir / name;
    rgb.write_to_file(path.c_str());
    auto page = ScanFile(path).load_page(1);
    EXPECT_EQ(page.image.channels(), 1) << name;
    EXPECT_GT(page.image.at<uchar>(0, 0), 250) << name;
  }
}

// A colour page also hands its RGB to the colour stage; a grey one does not.
TEST_F(LoadTest, ColourPageKeepsItsColourBesideTheGrey) {
  vips::VImage grey = test_page(300, 200, 300);
  vips::VImage red = grey.bandjoin(grey * 0.2).bandjoin(grey * 0.2).cast(VIPS_FORMAT_UCHAR);
  red = red.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  auto colour_path = dir / "red.png";
  red.write_to_file(colour_path.c_str());
  auto page = ScanFile(colour_path).load_page(1);
  ASSERT_EQ(page.colour.type(), CV_8UC3);
  EXPECT_EQ(page.colour.size(), page.image.size());
  cv::Vec3b paper = page.colour.at<cv::Vec3b>(0, 0);  // RGB order
  EXPECT_EQ(paper[0], 255);
  EXPECT_LE(paper[1], 52);
  EXPECT_LE(paper[2], 52);
  auto grey_path = dir / "grey.png";
  grey.write_to_file(grey_path.c_str());
  EXPECT_TRUE(ScanFile(grey_path).load_page(1).colour.empty());
}

TEST_F(LoadTest, RefusesBrokenFiles) {
  sohoa::testing::write_file(dir / "empty.png", "");
  sohoa::testing::write_file(dir / "random.tif", std::string(5000, '\x5a'));
  auto good = dir / "good.png";
  test_page(400, 600, 300).write_to_file(good.c_str());
  std::string bytes = sohoa::testing::read_file(good);
  sohoa::testing::write_file(dir / "truncated.png", bytes.substr(0, bytes.size() / 2));

  EXPECT_THROW(ScanFile(dir / "empty.png"), LoadError);
  EXPECT_THROW(ScanFile(dir / "random.tif"), LoadError);
  EXPECT_THROW(ScanFile(dir / "missing.png"), LoadError);
  EXPECT_THROW(ScanFile(dir / "truncated.png").load_page(1), LoadError);
}

// libjpeg only warns about these and fills the missing rows grey: half a
// page, or a blank 120-megapixel one, stored as if read. They must fail.
TEST_F(LoadTest, RefusesJpegsCutShortOrClaimingMoreRowsThanTheyHold) {
  auto good = dir / "good.jpg";
  test_page(800, 1100, 300).write_to_file(good.c_str());
  std::string bytes = sohoa::testing::read_file(good);
  ASSERT_EQ(ScanFile(good).load_page(1).image.rows, 1100);

  sohoa::testing::write_file(dir / "cut.jpg",
                             sohoa::testing::jpeg_cut_keeping_eoi(bytes, bytes.size() / 2));
  auto small = dir / "small.jpg";
  test_page(64, 64, 300).write_to_file(small.c_str());
  sohoa::testing::write_file(dir / "liar.jpg", sohoa::testing::jpeg_claiming_size(
                                                   sohoa::testing::read_file(small), 11999, 10000));
  for (const char* name : {"cut.jpg", "liar.jpg"}) {
    try {
      ScanFile(dir / name).load_page(1);
      FAIL() << name << " loaded as a good page";
    } catch (const LoadError& e) {
      std::string what = e.what();
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }
}

TEST_F(LoadTest, RefusesPagesOverThePixelLimit) {
  auto path = dir / "big.png";
  test_page(2000, 2000, 300).write_to_file(path.c_str());
  LoadOptions options;
  options.max_pixels = 1'000'000;
  try {
    ScanFile scan(path, options);
    FAIL() << "a 4 MP page passed a 1 MP limit";
  } catch (const LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("over the limit"), std::string::npos) << e.what();
  }
}

}  // namespace

namespace {

// A one-page PDF with vector drawing only (no image): it must be rendered.
const char* kDrawnPdf =
    "%PDF-1.4\n"
    "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
    "4 0 obj<</Length 35>>stream\n"
    "0 0 0 rg 100 400 300 50 re f\n"
    "endstream endobj\n"
    "trailer<</Root 1 0 R>>\n"
    "%%EOF\n";

class PdfLoadTest : public LoadTest {};

TEST_F(PdfLoadTest, ScannedPdfPagesAreReadFromTheirImagesAtTheirResolution) {
  auto out = dir / "pdf";
  auto gen =
      sohoa::testing::run({sohoa::testing::samples_bin(), "--out", out.string(), "--count", "1",
                           "--seed", "2", "--profile", "clean", "--format", "pdf", "--pages", "2",
                           "--units", sohoa::testing::units_csv_path().string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ScanFile scan(out / "doc-0001.pdf");
  EXPECT_EQ(scan.format(), "pdf");
  ASSERT_EQ(scan.page_count(), 2);
  auto page = scan.load_page(2);
  EXPECT_EQ(page.dpi, 300);
  EXPECT_EQ(page.image.cols, 2480);
  EXPECT_EQ(page.image.rows, 3508);
  EXPECT_GT(page.image.at<uchar>(5, 5), 240);  // white paper
}

TEST_F(PdfLoadTest, DrawnPdfIsRenderedAt300Dpi) {
  sohoa::testing::write_file(dir / "drawn.pdf", kDrawnPdf);
  ScanFile scan(dir / "drawn.pdf");
  ASSERT_EQ(scan.page_count(), 1);
  auto page = scan.load_page(1);
  EXPECT_EQ(page.dpi, 300);
  EXPECT_NEAR(page.image.cols, 595 * 300 / 72, 2);
  // The black bar: 100..400 pt across, 392..442 pt down from the top.
  EXPECT_LT(page.image.at<uchar>(417 * 300 / 72, 250 * 300 / 72), 50);
  EXPECT_GT(page.image.at<uchar>(100, 100), 200);
}

TEST_F(PdfLoadTest, EncryptedAndEmptyPdfsAreClearErrors) {
  sohoa::testing::write_file(dir / "drawn.pdf", kDrawnPdf);
  auto qpdf =
      sohoa::testing::run({"/usr/bin/qpdf", "--warning-exit-0", "--encrypt", "user", "owner", "256",
                           "--", (dir / "drawn.pdf").string(), (dir / "locked.pdf").string()});
  ASSERT_EQ(qpdf.exit_code, 0) << qpdf.err;
  try {
    ScanFile scan(dir / "locked.pdf");
    FAIL() << "an encrypted PDF loaded";
  } catch (const LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("encrypted"), std::string::npos) << e.what();
  }
  sohoa::testing::write_file(dir / "nopages.pdf",
                             "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                             "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
                             "trailer<</Root 1 0 R>>\n%%EOF\n");
  EXPECT_THROW(ScanFile(dir / "nopages.pdf"), LoadError);
}

}  // namespace
