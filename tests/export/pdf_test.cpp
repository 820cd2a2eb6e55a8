// The export library on pages built in the test: the PDF's text layer, page
// images and metadata, the ALTO writer, and file naming. Checked with the
// tools an archive would use (poppler, qpdf, xmllint).
#include "export/pdf.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <regex>

#include "export/alto.h"
#include "export/document.h"
#include "tests/support/export_test_util.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using sohoa::export_test::tool;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;
using sohoa::testing::write_file;

sohoa::ocr::Word word(const std::string& text, int x, int y, int w, int h, float conf = 90) {
  return sohoa::ocr::Word{text, {x, y, w, h}, conf};
}

sohoa::ocr::Line line_of(std::vector<sohoa::ocr::Word> words) {
  sohoa::ocr::Line line;
  int x0 = words.front().box.x, y0 = 1 << 30, x1 = 0, y1 = 0;
  for (const auto& w : words) {
    y0 = std::min(y0, w.box.y);
    x1 = std::max(x1, w.box.x + w.box.w);
    y1 = std::max(y1, w.box.y + w.box.h);
    if (!line.text.empty()) line.text += ' ';
    line.text += w.text;
  }
  line.box = {x0, y0, x1 - x0, y1 - y0};
  line.words = std::move(words);
  return line;
}

// An A4 page at 300 dpi with two lines of Vietnamese, drawn as black bars
// where the words are (the text layer does not depend on the ink).
struct TestPage {
  cv::Mat image;
  sohoa::ocr::PageText layout;
};

TestPage test_page() {
  TestPage page;
  page.image = cv::Mat(3508, 2480, CV_8UC1, cv::Scalar(255));
  sohoa::ocr::Block block;
  block.lines.push_back(
      line_of({word("Quyết", 300, 400, 160, 60), word("định", 490, 400, 130, 60),
               word("số", 650, 410, 60, 50), word("392/QĐ-UBND", 740, 400, 380, 60, 71.5f)}));
  block.lines.push_back(line_of({word("Ủy", 300, 520, 80, 60), word("ban", 410, 520, 110, 60),
                                 word("nhân", 550, 520, 140, 60), word("dân", 720, 520, 110, 60),
                                 word("xã", 860, 520, 70, 60), word("Hòa", 960, 520, 120, 60),
                                 word("Đồng", 1110, 520, 150, 60)}));
  block.box = {300, 400, 960, 180};
  for (const auto& l : block.lines) {
    for (const auto& w : l.words) {
      cv::rectangle(page.image, cv::Rect(w.box.x, w.box.y, w.box.w, w.box.h), cv::Scalar(0),
                    cv::FILLED);
    }
  }
  page.layout.width = page.image.cols;
  page.layout.height = page.image.rows;
  page.layout.blocks.push_back(block);
  page.layout.text = "Quyết định số 392/QĐ-UBND\nỦy ban nhân dân xã Hòa Đồng\n";
  page.layout.mean_confidence = 88;
  return page;
}

sohoa::exports::PdfInfo test_info() {
  sohoa::exports::PdfInfo info;
  info.title = "QUYẾT ĐỊNH 392/QĐ-UBND";
  info.author = "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG";
  info.subject = "Về việc cấp giấy phép xây dựng";
  info.creation_date = "2022-06-03";
  return info;
}

std::string one_page_pdf(const TestPage& page) {
  sohoa::exports::SearchablePdf pdf(test_info());
  pdf.add_page(page.image, 300, page.layout);
  return pdf.bytes();
}

class ExportPdf : public ::testing::Test {
 protected:
  void SetUp() override {
    page_ = test_page();
    pdf_path_ = dir_ / "page.pdf";
    write_file(pdf_path_, one_page_pdf(page_));
  }
  TempDir dir_;
  TestPage page_;
  fs::path pdf_path_;
};

TEST_F(ExportPdf, PdftotextGivesTheWordsWithTheirVietnameseLettersAndSpaces) {
  RunResult text = run({tool("pdftotext"), "-raw", pdf_path_.string(), "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(sohoa::text::collapse_spaces(text.out),
            "Quyết định số 392/QĐ-UBND Ủy ban nhân dân xã Hòa Đồng");
  EXPECT_NE(text.out.find("392/QĐ-UBND\n"), std::string::npos) << "lines stay lines";
}

TEST_F(ExportPdf, WordsLieOnTheirBoxes) {
  RunResult bbox = run({tool("pdftotext"), "-bbox", pdf_path_.string(), "-"});
  ASSERT_EQ(bbox.exit_code, 0) << bbox.err;
  std::smatch m;
  std::regex first(
      R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">Quyết</word>)re");
  ASSERT_TRUE(std::regex_search(bbox.out, m, first)) << bbox.out;
  const double pt = 72.0 / 300.0;
  EXPECT_NEAR(std::stod(m[1]), 300 * pt, 0.5);
  EXPECT_NEAR(std::stod(m[2]), 400 * pt, 0.5);  // top of the line box
  std::regex last(
      R"re(<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)" yMax="[0-9.]+">Đồng</word>)re");
  ASSERT_TRUE(std::regex_search(bbox.out, m, last)) << bbox.out;
  EXPECT_NEAR(std::stod(m[1]), 1110 * pt, 0.5);
  EXPECT_NEAR(std::stod(m[2]), 1260 * pt, 0.5);
}

TEST_F(ExportPdf, QpdfFindsNoErrors) {
  RunResult check = run({tool("qpdf"), "--check", pdf_path_.string()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("No syntax or stream encoding errors"), std::string::npos);
}

TEST_F(ExportPdf, InfoAndXmpCarryTheDocumentMetadata) {
  RunResult info = run({tool("pdfinfo"), "-isodates", pdf_path_.string()});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("Title:           QUYẾT ĐỊNH 392/QĐ-UBND\n"), std::string::npos)
      << info.out;
  EXPECT_NE(info.out.find("Author:          ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG\n"), std::string::npos);
  EXPECT_NE(info.out.find("Subject:         Về việc cấp giấy phép xây dựng\n"), std::string::npos);
  EXPECT_NE(info.out.find("CreationDate:    2022-06-03T00:00:00"), std::string::npos);
  EXPECT_NE(info.out.find("Page size:       595.2 x 841.92 pts (A4)"), std::string::npos);
  EXPECT_NE(info.out.find("PDF version:     1.7"), std::string::npos);

  RunResult meta = run({tool("pdfinfo"), "-meta", pdf_path_.string()});
  ASSERT_EQ(meta.exit_code, 0) << meta.err;
  EXPECT_NE(meta.out.find("<pdfaid:part>2</pdfaid:part>"), std::string::npos);
  EXPECT_NE(meta.out.find("<pdfaid:conformance>B</pdfaid:conformance>"), std::string::npos);
  EXPECT_NE(meta.out.find(">QUYẾT ĐỊNH 392/QĐ-UBND</rdf:li>"), std::string::npos);
  EXPECT_NE(meta.out.find("<xmp:CreateDate>2022-06-03T00:00:00+00:00</xmp:CreateDate>"),
            std::string::npos);
}

TEST_F(ExportPdf, BilevelPageIsG4AndGreyPageIsJpeg) {
  RunResult images = run({tool("pdfimages"), "-list", pdf_path_.string()});
  ASSERT_EQ(images.exit_code, 0) << images.err;
  EXPECT_NE(images.out.find("2480  3508  gray    1   1  ccitt"), std::string::npos) << images.out;

  // Grey paper and ink, as a grey scan has them.
  cv::Mat grey;
  page_.image.convertTo(grey, CV_8UC1, 0.8, 30);
  cv::GaussianBlur(grey, grey, cv::Size(9, 9), 3);
  EXPECT_FALSE(sohoa::exports::is_bilevel(grey));
  sohoa::exports::SearchablePdf pdf(test_info());
  sohoa::exports::PdfImageStats stats = pdf.add_page(grey, 300, page_.layout);
  EXPECT_FALSE(stats.bilevel);
  EXPECT_EQ(stats.jpeg_quality, 75);
  write_file(dir_ / "grey.pdf", pdf.bytes());
  images = run({tool("pdfimages"), "-list", (dir_ / "grey.pdf").string()});
  EXPECT_NE(images.out.find("2480  3508  gray    1   8  jpeg"), std::string::npos) << images.out;
}

TEST_F(ExportPdf, ABilevelScanGreyedByDeskewingGoesBackToG4) {
  cv::Mat greyed;
  cv::GaussianBlur(page_.image, greyed, cv::Size(5, 5), 1.5);
  cv::rectangle(greyed, cv::Rect(0, 0, 2480, 200), cv::Scalar(128), cv::FILLED);
  ASSERT_FALSE(sohoa::exports::is_bilevel(greyed));
  sohoa::exports::SearchablePdf pdf(test_info());
  sohoa::exports::PdfImageStats stats = pdf.add_page(greyed, 300, page_.layout, 0, true);
  EXPECT_TRUE(stats.bilevel);
  EXPECT_EQ(stats.jpeg_quality, 0);
  EXPECT_LT(stats.bytes, 100u * 1024u);
}

TEST_F(ExportPdf, GreyPageQualityDropsToStayWithinTheBudget) {
  cv::Mat noise(1000, 800, CV_8UC1);
  cv::randu(noise, 0, 256);
  sohoa::exports::SearchablePdf unlimited(test_info());
  size_t free_size = unlimited.add_page(noise, 300, {}).bytes;
  sohoa::exports::SearchablePdf limited(test_info());
  sohoa::exports::PdfImageStats stats = limited.add_page(noise, 300, {}, free_size * 3 / 4);
  EXPECT_LT(stats.jpeg_quality, 75);
  EXPECT_LE(stats.bytes, free_size * 3 / 4);
}

TEST_F(ExportPdf, CleanGreyPageOverBudgetGoesLosslessWhenThatIsSmaller) {
  cv::Mat grey;
  page_.image.convertTo(grey, CV_8UC1, 0.8, 30);
  cv::GaussianBlur(grey, grey, cv::Size(5, 5), 1.5);
  sohoa::exports::SearchablePdf free_pdf(test_info());
  size_t jpeg_size = free_pdf.add_page(grey, 300, page_.layout).bytes;
  sohoa::exports::SearchablePdf pdf(test_info());
  sohoa::exports::PdfImageStats stats = pdf.add_page(grey, 300, page_.layout, jpeg_size - 1);
  EXPECT_TRUE(stats.lossless);
  EXPECT_LT(stats.bytes, jpeg_size);
  write_file(dir_ / "flate.pdf", pdf.bytes());
  RunResult check = run({tool("qpdf"), "--check", (dir_ / "flate.pdf").string()});
  EXPECT_EQ(check.exit_code, 0) << check.out;
  RunResult images = run({tool("pdfimages"), "-list", (dir_ / "flate.pdf").string()});
  EXPECT_NE(images.out.find("gray    1   8  image"), std::string::npos) << images.out;
}

TEST_F(ExportPdf, SameDocumentGivesTheSameBytes) {
  EXPECT_EQ(one_page_pdf(page_), read_file(pdf_path_));
}

TEST(ExportPdfLayout, WordBoxesScaleOntoAnImageOfAnotherSize) {
  TestPage page = test_page();
  cv::Mat half;
  cv::resize(page.image, half, cv::Size(), 0.5, 0.5, cv::INTER_NEAREST);
  TempDir dir;
  sohoa::exports::SearchablePdf pdf(test_info());
  pdf.add_page(half, 150, page.layout);
  write_file(dir / "half.pdf", pdf.bytes());
  RunResult bbox = run({tool("pdftotext"), "-bbox", (dir / "half.pdf").string(), "-"});
  std::smatch m;
  std::regex first(
      R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="[0-9.]+">Quyết</word>)re");
  ASSERT_TRUE(std::regex_search(bbox.out, m, first)) << bbox.out;
  EXPECT_NEAR(std::stod(m[1]), 300 * 72.0 / 300, 0.5);
  EXPECT_NEAR(std::stod(m[2]), 400 * 72.0 / 300, 0.5);
}

TEST(ExportAlto, ValidatesAgainstTheAlto42SchemaWithEveryWordAndConfidence) {
  TestPage page = test_page();
  TempDir dir;
  sohoa::exports::AltoSource source{"scan & co.tif", "0.1.0"};
  std::string xml = sohoa::exports::alto_xml({page.layout, page.layout}, source);
  write_file(dir / "a.xml", xml);
  fs::path alto = sohoa::testing::source_dir() / "tests" / "data" / "alto";
  RunResult lint = run({tool("xmllint"), "--nonet", "--noout", "--schema",
                        (alto / "alto-4-2.xsd").string(), (dir / "a.xml").string()},
                       {"XML_CATALOG_FILES=" + (alto / "catalog.xml").string()});
  EXPECT_EQ(lint.exit_code, 0) << lint.err;
  EXPECT_NE(xml.find("<fileName>scan &amp; co.tif</fileName>"), std::string::npos);
  EXPECT_NE(xml.find("<String ID=\"p1_b1_l1_4\" CONTENT=\"392/QĐ-UBND\" HPOS=\"740\" "
                     "VPOS=\"400\" WIDTH=\"380\" HEIGHT=\"60\" WC=\"0.715\"/>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Page ID=\"p2\" PHYSICAL_IMG_NR=\"2\" WIDTH=\"2480\" HEIGHT=\"3508\" "
                     "PC=\"0.880\">"),
            std::string::npos);
  size_t strings = 0;
  for (size_t at = xml.find("<String "); at != std::string::npos; at = xml.find("<String ", at + 1))
    ++strings;
  EXPECT_EQ(strings, 2u * 11u);
}

sohoa::storage::StoredDocument stored(int64_t id) {
  sohoa::storage::StoredDocument doc;
  doc.id = id;
  doc.sha256 = "ab";
  doc.unit = "tay-hoa";
  doc.issuer_unit = "hoa-dong";
  doc.digitized_at = "2022-06-30";
  return doc;
}

TEST(ExportNames, BatchFilesAreNamedByUnitYearAndNumber) {
  sohoa::storage::StoredDocument doc = stored(7);
  doc.fields = {{"doc_number", "392/QĐ-UBND", 1}, {"issued_date", "2022-06-03", 1}};
  EXPECT_EQ(sohoa::exports::export_base_name(doc), "hoa-dong_2022_392-QD-UBND");
  EXPECT_EQ(sohoa::exports::export_base_name(stored(8)), "hoa-dong_undated_id8");
}

TEST(ExportNames, PdfInfoTakesTitleAuthorSubjectAndDateFromTheMetadata) {
  sohoa::storage::StoredDocument doc = stored(7);
  doc.fields = {{"doc_type", "QUYẾT ĐỊNH", 1},
                {"doc_number", "392/QĐ-UBND", 1},
                {"issued_date", "2022-06-03", 1},
                {"authority", "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG", 1},
                {"subject", "Về việc cấp phép", 1}};
  sohoa::exports::PdfInfo info = sohoa::exports::pdf_info(doc);
  EXPECT_EQ(info.title, "QUYẾT ĐỊNH 392/QĐ-UBND");
  EXPECT_EQ(info.author, "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG");
  EXPECT_EQ(info.subject, "Về việc cấp phép");
  EXPECT_EQ(info.creation_date, "2022-06-03");
  sohoa::exports::PdfInfo bare = sohoa::exports::pdf_info(stored(9));
  EXPECT_EQ(bare.title, "Document 9");
  EXPECT_EQ(bare.creation_date, "2022-06-30");
}

TEST(ExportNames, StackPartsStartAtTheirFirstPage) {
  sohoa::storage::StoredDocument doc = stored(1);
  EXPECT_EQ(sohoa::exports::first_file_page(doc), 1);
  doc.sha256 = "abcdef#4-6";
  EXPECT_EQ(sohoa::exports::first_file_page(doc), 4);
}

TEST(ExportCer, LevenshteinOverCodePoints) {
  EXPECT_DOUBLE_EQ(sohoa::export_test::cer("Hòa Đồng", "Hòa Đồng"), 0.0);
  EXPECT_DOUBLE_EQ(sohoa::export_test::cer("Hòa Đồng", "Hoa Đồng"), 1.0 / 8);
  EXPECT_DOUBLE_EQ(sohoa::export_test::cer("a  b\nc", "a b c"), 0.0);
}

}  // namespace
