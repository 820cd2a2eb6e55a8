// PDF pages as load reads them: born-digital text layers (text_source pdf),
// scans with an old OCR layer (read from the image), e-office copies with an
// owner password only, and hostile files: Flate bombs, JPEGs whose own
// header lies about the dictionary's size, truncated JPEGs, unmapped fonts,
// legacy 8-bit Vietnamese text.
#include <gtest/gtest.h>

#include <iostream>
#include <vips/vips8>

#include "pipeline/stages/load.h"
#include "pipeline/stages/pdf_text.h"
#include "tests/support/pdf_builder.h"
#include "tests/support/test_support.h"
#include "text/cer.h"

namespace fs = std::filesystem;
using sohoa::pipeline::is_sane_text;
using sohoa::pipeline::is_text_page;
using sohoa::pipeline::LoadError;
using sohoa::pipeline::pdf_page_content;
using sohoa::pipeline::ScanFile;
using sohoa::pipeline::TextSource;
using sohoa::testing::build_pdf;
using sohoa::testing::flate;
using sohoa::testing::run;
using sohoa::testing::stream_object;
using sohoa::testing::TempDir;

namespace {

const char* const kText = "QUYẾT ĐỊNH\nSố: 392/QĐ-UBND\nVề việc cấp giấy phép xây dựng\n";

// A one-page A4 PDF: `content` drawn with /Im0 = `image` (a stream object
// body) and /F1 = Helvetica.
std::string page_pdf(const std::string& content, const std::string& image,
                     const std::string& font = "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>") {
  return build_pdf({"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
                    "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
                    "/Resources<</XObject<</Im0 4 0 R>>/Font<</F1 6 0 R>>>>/Contents 5 0 R>>",
                    image, stream_object("", content), font});
}

// A grey image, white with a black bar, as Flate-compressed samples.
std::string grey_image(int width, int height) {
  std::string samples(static_cast<size_t>(width) * height, '\xff');
  for (int y = height / 3; y < height / 3 + height / 20; ++y) {
    for (int x = width / 4; x < 3 * width / 4; ++x) samples[static_cast<size_t>(y) * width + x] = 0;
  }
  return stream_object("/Type/XObject/Subtype/Image/Width " + std::to_string(width) + "/Height " +
                           std::to_string(height) +
                           "/ColorSpace/DeviceGray/BitsPerComponent 8/Filter/FlateDecode",
                       flate(samples));
}

std::string jpeg_image(const std::string& jpeg, int width, int height) {
  return stream_object("/Type/XObject/Subtype/Image/Width " + std::to_string(width) + "/Height " +
                           std::to_string(height) +
                           "/ColorSpace/DeviceGray/BitsPerComponent 8/Filter/DCTDecode",
                       jpeg);
}

std::string grey_jpeg(int width, int height) {
  vips::VImage page = (vips::VImage::black(width, height) + 255).cast(VIPS_FORMAT_UCHAR);
  page = page.insert(vips::VImage::black(width / 2, height / 20).cast(VIPS_FORMAT_UCHAR), width / 4,
                     height / 3);
  void* buf = nullptr;
  size_t size = 0;
  page.write_to_buffer(".jpg", &buf, &size, vips::VImage::option()->set("Q", 90));
  std::string out(static_cast<const char*>(buf), size);
  g_free(buf);
  return out;
}

// The page drawn full size: the scan's usual content.
const std::string kDrawImage = "q 595 0 0 842 0 0 cm /Im0 Do Q\n";
// An old OCR layer: invisible text (mode 3), garbage words.
const std::string kInvisibleLayer = "BT 3 Tr /F1 12 Tf 72 700 Td (Qxzv ggarble wqq) Tj ET\n";
const std::string kVisibleLayer = "BT 0 Tr /F1 12 Tf 72 700 Td (Qxzv ggarble wqq) Tj ET\n";

class PdfLoadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { VIPS_INIT("pdf_load_test"); }

  fs::path write(const std::string& name, const std::string& bytes) {
    sohoa::testing::write_file(dir / name, bytes);
    return dir / name;
  }

  // A text PDF set by Pango/Cairo (real fonts, ToUnicode maps), A4.
  fs::path text_pdf(const std::string& name = "text.pdf") {
    auto txt = write("text.txt", kText);
    auto out = run({"/usr/bin/pango-view", "-q", "--output=" + (dir / name).string(),
                    "--font=DejaVu Serif 12", "--width=515", "--height=762", "--margin=40",
                    "--dpi=72", txt.string()});
    EXPECT_EQ(out.exit_code, 0) << out.err;
    return dir / name;
  }

  fs::path encrypt(const fs::path& in, const std::string& user, const std::string& name) {
    auto out = run({"/usr/bin/qpdf", "--warning-exit-0", "--encrypt", user, "owner-secret", "256",
                    "--", in.string(), (dir / name).string()});
    EXPECT_EQ(out.exit_code, 0) << out.err;
    return dir / name;
  }

  TempDir dir;
};

// Words whose box on the page image holds no ink (nothing darker than 64).
std::vector<std::string> words_without_ink(const sohoa::pipeline::Page& page) {
  std::vector<std::string> empty;
  for (const auto& block : page.text.blocks) {
    for (const auto& line : block.lines) {
      for (const auto& word : line.words) {
        cv::Rect box(word.box.x, word.box.y, word.box.w, word.box.h);
        box &= cv::Rect(0, 0, page.image.cols, page.image.rows);
        double darkest = 255;
        if (!box.empty()) cv::minMaxLoc(page.image(box), &darkest);
        if (darkest >= 64) empty.push_back(word.text);
      }
    }
  }
  return empty;
}

std::string load_error(const fs::path& pdf) {
  try {
    ScanFile scan(pdf);
    scan.load_page(1);
  } catch (const LoadError& e) {
    return e.what();
  }
  return "";
}

TEST_F(PdfLoadTest, BornDigitalPageIsReadFromItsTextWithWordsOnTheRendering) {
  ScanFile scan(text_pdf());
  auto page = scan.load_page(1);
  EXPECT_EQ(page.text_source, TextSource::pdf);
  EXPECT_EQ(page.text.text, kText);
  EXPECT_EQ(page.text.mean_confidence, 100.0f);
  EXPECT_EQ(page.dpi, 300);
  EXPECT_EQ(page.text.width, page.image.cols);
  EXPECT_EQ(page.text.height, page.image.rows);
  ASSERT_EQ(page.text.blocks.size(), 1u);
  ASSERT_EQ(page.text.blocks[0].lines.size(), 3u);
  ASSERT_EQ(page.text.blocks[0].lines[1].words.size(), 2u);
  // Every word's box holds ink of the rendering, and the page margin none:
  // the boxes are where the words are drawn (40 pt margin = 166 px).
  int words = 0;
  for (const auto& line : page.text.blocks[0].lines) {
    for (const auto& word : line.words) {
      ++words;
      EXPECT_GE(word.box.x, 160) << word.text;
      EXPECT_GE(word.box.y, 160) << word.text;
      cv::Mat inside = page.image(cv::Rect(word.box.x, word.box.y, word.box.w, word.box.h));
      double darkest = 255;
      cv::minMaxLoc(inside, &darkest);
      EXPECT_LT(darkest, 64) << word.text << " box holds no ink";
    }
  }
  EXPECT_EQ(words, 11);
  double darkest_margin = 255;
  cv::minMaxLoc(page.image(cv::Rect(0, 0, page.image.cols, 150)), &darkest_margin);
  EXPECT_GT(darkest_margin, 250);
}

TEST_F(PdfLoadTest, RotatedTextPageGetsItsWordsPlacedOnTheTurnedRendering) {
  auto text = text_pdf();
  auto turned = dir / "turned.pdf";
  auto r = run(
      {"/usr/bin/qpdf", "--warning-exit-0", "--rotate=+90", text.string(), "--", turned.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto page = ScanFile(turned).load_page(1);
  EXPECT_EQ(page.text_source, TextSource::pdf);
  EXPECT_GT(page.image.cols, page.image.rows);  // landscape as displayed
  EXPECT_EQ(page.text.width, page.image.cols);
  EXPECT_EQ(words_without_ink(page), std::vector<std::string>{});
}

TEST_F(PdfLoadTest, OwnerPasswordOnlyPdfsReadAndAUserPasswordIsRefused) {
  auto text = text_pdf();
  auto open = encrypt(text, "", "sao-y.pdf");
  auto page = ScanFile(open).load_page(1);
  EXPECT_EQ(page.text_source, TextSource::pdf);
  EXPECT_EQ(page.text.text, kText);
  // A scan with an owner password only: its image is read as any scan's.
  auto scan = write("scan.pdf", page_pdf(kDrawImage, grey_image(2480, 3508)));
  auto scan_page = ScanFile(encrypt(scan, "", "scan-sao-y.pdf")).load_page(1);
  EXPECT_EQ(scan_page.image.cols, 2480);
  EXPECT_EQ(scan_page.dpi, 300);
  EXPECT_EQ(scan_page.image.at<uchar>(3508 / 3 + 10, 1240), 0);
  // Hostile twin: a real user password.
  EXPECT_EQ(load_error(encrypt(text, "user-secret", "locked.pdf")), "encrypted PDF (password)");
}

TEST_F(PdfLoadTest, ScanWithAnOldTextLayerIsReadFromItsImageAtItsResolution) {
  // A 300 dpi scan with an invisible garbage layer: the embedded image.
  auto fast = write("layer.pdf", page_pdf(kDrawImage + kInvisibleLayer, grey_image(2480, 3508)));
  auto page = ScanFile(fast).load_page(1);
  EXPECT_EQ(page.text_source, TextSource::ocr);
  EXPECT_TRUE(page.text.text.empty());
  EXPECT_EQ(page.dpi, 300);
  EXPECT_EQ(page.image.cols, 2480);
  auto content = pdf_page_content(fast, 0);
  EXPECT_TRUE(content.page_filling_image);
  EXPECT_FALSE(content.visible_text);
  EXPECT_EQ(content.text_operators, 1);
  // A 60 dpi scan is rendered, not taken as it is; its visible garbage text
  // still does not make it a text page: the image fills the page.
  auto low = write("low.pdf", page_pdf(kDrawImage + kVisibleLayer, grey_image(500, 707)));
  content = pdf_page_content(low, 0);
  EXPECT_TRUE(content.page_filling_image);
  EXPECT_TRUE(content.visible_text);
  EXPECT_FALSE(is_text_page(content));
  auto low_page = ScanFile(low).load_page(1);
  EXPECT_EQ(low_page.text_source, TextSource::ocr);
  EXPECT_TRUE(low_page.text.text.empty());
  EXPECT_EQ(low_page.dpi, 100);  // its own 60 dpi, raised to the floor of 100
  EXPECT_NEAR(low_page.image.cols, 595 * 100 / 72, 2);
  // A 200 dpi scan in a form the fast path does not take (inverted samples)
  // with a visible garbage layer: rendered at its own 200 dpi, OCRed.
  std::string inverted = grey_image(1654, 2339);
  inverted.insert(inverted.find("/Filter"), "/Decode[1 0]");
  auto odd = write("odd.pdf", page_pdf(kDrawImage + kVisibleLayer, inverted));
  auto odd_page = ScanFile(odd).load_page(1);
  EXPECT_EQ(odd_page.text_source, TextSource::ocr);
  EXPECT_EQ(odd_page.dpi, 200);
  EXPECT_NEAR(odd_page.image.cols, 1654, 2);
}

TEST_F(PdfLoadTest, ALogoDoesNotMakeATextPageAScan) {
  auto logo = write("logo.pdf", page_pdf("q 100 0 0 50 72 760 cm /Im0 Do Q\n" + kVisibleLayer,
                                         grey_image(400, 200)));
  auto content = pdf_page_content(logo, 0);
  EXPECT_FALSE(content.page_filling_image);
  EXPECT_TRUE(is_text_page(content));
  auto page = ScanFile(logo).load_page(1);
  EXPECT_EQ(page.text_source, TextSource::pdf);
  EXPECT_EQ(page.text.text, "Qxzv ggarble wqq\n");
}

TEST_F(PdfLoadTest, TextInAFontWithoutUnicodeMapIsOcred) {
  const std::string type0 =
      "<</Type/Font/Subtype/Type0/BaseFont/Glyphs/Encoding/Identity-H/DescendantFonts[<</Type"
      "/Font/Subtype/CIDFontType2/BaseFont/Glyphs/CIDSystemInfo<</Registry(Adobe)/Ordering"
      "(Identity)/Supplement 0>>>>]>>";
  auto pdf = write("glyphs.pdf", page_pdf("BT /F1 12 Tf 72 700 Td <00410042> Tj ET\n",
                                          grey_image(100, 100), type0));
  auto content = pdf_page_content(pdf, 0);
  EXPECT_TRUE(content.unmapped_font);
  EXPECT_FALSE(is_text_page(content));
  EXPECT_EQ(ScanFile(pdf).load_page(1).text_source, TextSource::ocr);
}

TEST_F(PdfLoadTest, LegacyVietnameseEncodingsAreNotText) {
  EXPECT_TRUE(is_sane_text(kText));
  EXPECT_TRUE(is_sane_text("Luật số: 54/2014/QH13 — Điều 1. Phạm vi điều chỉnh"));
  // "Quyết định số" in TCVN3 (.VnTime) shown through a Latin-1 font.
  EXPECT_FALSE(is_sane_text("Quy\u00d5t \u00ae\u00denh s\u00e8 392/Q\u00a7-UBND"));
  EXPECT_FALSE(is_sane_text("\ufffd\ufffd\ufffd abc"));
  EXPECT_FALSE(is_sane_text("\ue001\ue002\ue003\ue004"));
  EXPECT_FALSE(is_sane_text(""));
}

TEST_F(PdfLoadTest, FlateBombInAScanImageIsRefusedWithinItsDeclaredSize) {
  // 4 GiB of zeros in about 4 MB, under a dictionary for an A4 page at 300 dpi.
  std::string bomb = sohoa::testing::zero_bomb(256);
  EXPECT_LT(bomb.size(), 8u << 20);
  auto pdf =
      write("bomb.pdf", page_pdf(kDrawImage, stream_object("/Type/XObject/Subtype/Image/Width 2480"
                                                           "/Height 3508/ColorSpace/DeviceGray"
                                                           "/BitsPerComponent 8/Filter/FlateDecode",
                                                           bomb)));
  EXPECT_EQ(load_error(pdf),
            "page 1: image data inflates past its declared 2480x3508 pixels (a decompression "
            "bomb)");
  // Twin: the same page with its true data reads.
  auto good = write("good.pdf", page_pdf(kDrawImage, grey_image(2480, 3508)));
  EXPECT_EQ(load_error(good), "");
}

TEST_F(PdfLoadTest, FlateBombInPageContentIsRefused) {
  auto pdf =
      write("content-bomb.pdf",
            build_pdf({"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
                       "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
                       stream_object("/Filter/FlateDecode", sohoa::testing::zero_bomb(8))}));
  EXPECT_EQ(load_error(pdf), "page 1: page content inflates past 64 MB (a decompression bomb)");
}

TEST_F(PdfLoadTest, APageDrawingAFormTooOftenIsRenderedNotWalkedForever) {
  // 10,001 calls of a form that shows text: one more than is walked.
  std::string calls;
  for (int i = 0; i < 10'001; ++i) calls += "/Fm0 Do\n";
  auto pdf =
      write("forms.pdf",
            build_pdf({"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
                       "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
                       "/Resources<</XObject<</Fm0 5 0 R>>>>/Contents 4 0 R>>",
                       stream_object("", calls),
                       stream_object("/Type/XObject/Subtype/Form/BBox[0 0 595 842]"
                                     "/Resources<</Font<</F1 6 0 R>>>>",
                                     "BT /F1 12 Tf 72 700 Td (x) Tj ET"),
                       "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"}));
  auto content = pdf_page_content(pdf, 0);
  EXPECT_TRUE(content.too_complex);
  EXPECT_EQ(content.text_operators, 10'000);
  EXPECT_FALSE(is_text_page(content));
  EXPECT_EQ(ScanFile(pdf).load_page(1).text_source, TextSource::ocr);
}

TEST_F(PdfLoadTest, FlateBombInAnObjectStreamIsRefusedBeforeThePageTreeIsRead) {
  // Twin: the same structure without the zeros reads.
  auto good = write("objstm.pdf", sohoa::testing::object_stream_pdf(0));
  ScanFile scan(good);
  EXPECT_EQ(scan.page_count(), 1);
  EXPECT_EQ(scan.load_page(1).text_source, TextSource::ocr);  // drawn, no text
  // 1 GiB of zeros after the objects: qpdf would hold it whole.
  auto bomb = write("objstm-bomb.pdf", sohoa::testing::object_stream_pdf(64));
  try {
    ScanFile bombed(bomb);
    FAIL() << "an object stream bomb opened";
  } catch (const LoadError& e) {
    EXPECT_STREQ(e.what(), "object stream 4 inflates past 64 MB (a decompression bomb)");
  }
}

TEST_F(PdfLoadTest, FlateBombInTheCrossReferenceStreamIsRefusedBeforeQpdfOpensIt) {
  // 1 GiB of zeros after the 7 entries of the file's cross-reference stream.
  auto bomb = write("xref-bomb.pdf", sohoa::testing::object_stream_pdf(0, 64));
  try {
    ScanFile bombed(bomb);
    FAIL() << "a cross-reference stream bomb opened";
  } catch (const LoadError& e) {
    EXPECT_STREQ(e.what(),
                 "cross-reference stream inflates past its 7 entries (a decompression bomb)");
  }
  // Twin: the same stream, compressed and true, opens.
  auto good = write("xref-flate.pdf", sohoa::testing::object_stream_pdf(0, 0));
  EXPECT_EQ(ScanFile(good).page_count(), 1);
}

TEST_F(PdfLoadTest, EmbeddedJpegMustMatchItsDictionaryBeforeDecoding) {
  // Twin: a JPEG scan whose header agrees reads at its own resolution.
  auto good =
      write("jpeg.pdf", page_pdf(kDrawImage, jpeg_image(grey_jpeg(1240, 1754), 1240, 1754)));
  auto page = ScanFile(good).load_page(1);
  EXPECT_EQ(page.image.cols, 1240);
  EXPECT_EQ(page.dpi, 150);
  // A 64x64 JPEG under a dictionary claiming a page.
  auto small = write("small.pdf", page_pdf(kDrawImage, jpeg_image(grey_jpeg(64, 64), 2480, 3508)));
  EXPECT_EQ(load_error(small), "page 1: embedded JPEG is 64x64 pixels but the PDF says 2480x3508");
  // A JPEG whose frame header says 20000x20000 under a normal dictionary:
  // refused from the header, before any decoding.
  std::string huge = grey_jpeg(2480, 3508);
  size_t sof = huge.find("\xff\xc0");
  ASSERT_NE(sof, std::string::npos);
  huge[sof + 5] = huge[sof + 7] = static_cast<char>(20000 >> 8);
  huge[sof + 6] = huge[sof + 8] = static_cast<char>(20000 & 0xff);
  auto big = write("big.pdf", page_pdf(kDrawImage, jpeg_image(huge, 2480, 3508)));
  EXPECT_EQ(load_error(big),
            "page 1: embedded JPEG: image of 20000x20000 pixels is over the limit of 120 "
            "megapixels");
  // A JPEG cut in half (its dictionary true): not a page.
  std::string cut = grey_jpeg(2480, 3508);
  cut.resize(cut.size() / 2);
  auto half = write("half.pdf", page_pdf(kDrawImage, jpeg_image(cut, 2480, 3508)));
  EXPECT_EQ(load_error(half), "page 1: embedded JPEG: Premature end of input file");
  // Cut in half but still ending with EOI: libjpeg only warns; still no page.
  auto ended = write("ended.pdf", page_pdf(kDrawImage, jpeg_image(cut + "\xff\xd9", 2480, 3508)));
  std::string why = load_error(ended);
  EXPECT_EQ(why.rfind("page 1: embedded JPEG: ", 0), 0u) << why;
}

// The real law downloaded from the government portal (../shared/data/real):
// every page from its text, close to the proofread transcription.
TEST_F(PdfLoadTest, RealLawIsReadFromItsText) {
  fs::path pdf;
  for (const char* up : {"..", "../.."}) {
    fs::path candidate =
        sohoa::testing::source_dir() / up / "shared/data/real/New_54.2014.QH13.pdf";
    if (fs::exists(candidate)) pdf = candidate;
  }
  if (pdf.empty()) GTEST_SKIP() << "shared/data/real not beside the source tree";
  ScanFile scan(pdf);
  ASSERT_EQ(scan.page_count(), 3);
  std::string text;
  for (int n = 1; n <= 2; ++n) {  // the truth holds pages 1-2; the e2e test stores all 3
    auto page = scan.load_page(n);
    EXPECT_EQ(page.text_source, TextSource::pdf) << "page " << n;
    text += page.text.text;
  }
  std::string truth = sohoa::testing::read_file(sohoa::testing::source_dir() /
                                                "tests/data/real/New_54.2014.QH13.txt");
  double cer = sohoa::text::character_error_rate(truth, text);
  EXPECT_LT(cer, 0.01) << text;
  std::cout << "law pages 1-2: CER " << cer << " against the transcription\n";
}

}  // namespace
