// End to end: `sohoa export` on scans made by the samples generator and
// ingested by `sohoa ingest`, checked with poppler, qpdf and xmllint.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "storage/file_hash.h"
#include "tests/support/export_test_util.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::export_test::cer;
using sohoa::export_test::tool;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;

// Pages separated by form feeds, as pdftotext and `show --text` both give them.
std::vector<std::string> split_pages(const std::string& text) {
  std::vector<std::string> pages(1);
  for (char c : text) {
    if (c == '\f') {
      pages.emplace_back();
    } else {
      pages.back() += c;
    }
  }
  while (pages.size() > 1 && sohoa::text::collapse_spaces(pages.back()).empty()) pages.pop_back();
  return pages;
}

int pdf_pages(const fs::path& pdf) {
  RunResult info = run({tool("pdfinfo"), pdf.string()});
  std::smatch m;
  std::regex pages(R"(Pages:\s+(\d+))");
  return std::regex_search(info.out, m, pages) ? std::stoi(m[1]) : -1;
}

// A two-page bilevel (CCITT G4) TIFF and a one-page grey JPEG, ingested once
// for the whole suite: OCR is the slow part.
class ExportE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    generate("g4", "clean", 21, 2);
    generate("jpg", "degraded", 22, 1);
    db_ = (dir_->path() / "sohoa.db").string();
    sohoa::testing::create_database(db_);
    RunResult ingest = sohoa({"ingest", (dir_->path() / "g4").string(),
                              (dir_->path() / "jpg").string(), "--unit", "tay-hoa", "--json"});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    for (const auto& line : sohoa::testing::lines_of(ingest.out)) {
      json row = json::parse(line);
      if (row["status"] == "skipped") continue;  // the truth files beside the scans
      std::string kind =
          fs::path(row["source"].get<std::string>()).extension() == ".tif" ? "g4" : "jpg";
      (*ids_)[kind] = std::to_string(row["id"].get<int>());
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static void generate(const std::string& format, const std::string& profile, unsigned seed,
                       int pages) {
    sohoa::testing::generate_scans(
        dir_->path() / format,
        {.seed = seed, .profile = profile, .format = format, .pages = pages});
  }

  static RunResult sohoa(std::vector<std::string> args, const std::string& db = db_) {
    args.insert(args.begin(), sohoa::testing::sohoa_bin());
    args.push_back("--db");
    args.push_back(db);
    return run(args);
  }

  static std::string id(const std::string& kind) { return ids_->at(kind); }

  static json shown(const std::string& doc) {
    return json::parse(sohoa({"show", doc, "--json"}).out);
  }

  static fs::path original_of(const std::string& kind) {
    for (const auto& e : fs::directory_iterator(dir_->path() / kind)) {
      if (!e.path().string().ends_with(".json")) return e.path();
    }
    return {};
  }

  // Exports `kind` as a PDF into this test's folder.
  fs::path export_pdf(const std::string& kind) {
    fs::path out = out_ / (kind + ".pdf");
    RunResult r = sohoa({"export", id(kind), "--pdf", out.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return out;
  }

  static TempDir* dir_;
  static std::string db_;
  static std::map<std::string, std::string>* ids_;
  TempDir out_;
};

TempDir* ExportE2E::dir_ = nullptr;
std::string ExportE2E::db_;
std::map<std::string, std::string>* ExportE2E::ids_ = new std::map<std::string, std::string>();

TEST_F(ExportE2E, PdfTextIsTheStoredTextPageByPage) {
  for (const std::string kind : {"g4", "jpg"}) {
    fs::path pdf = export_pdf(kind);
    RunResult text = run({tool("pdftotext"), "-raw", "-enc", "UTF-8", pdf.string(), "-"});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    std::vector<std::string> stored = split_pages(sohoa({"show", id(kind), "--text"}).out);
    std::vector<std::string> found = split_pages(text.out);
    ASSERT_EQ(found.size(), stored.size()) << kind;
    for (size_t p = 0; p < stored.size(); ++p) {
      EXPECT_GT(sohoa::text::length(stored[p]), 50u) << kind << " page " << p + 1;
      EXPECT_LT(cer(stored[p], found[p]), 0.01) << kind << " page " << p + 1 << "\n" << found[p];
    }
  }
}

TEST_F(ExportE2E, QpdfCheckPasses) {
  for (const std::string kind : {"g4", "jpg"}) {
    RunResult check = run({tool("qpdf"), "--check", export_pdf(kind).string()});
    EXPECT_EQ(check.exit_code, 0) << kind << "\n" << check.out << check.err;
  }
}

TEST_F(ExportE2E, MultiPageTiffGivesAPdfWithAsManyPages) {
  EXPECT_EQ(pdf_pages(export_pdf("g4")), 2);
  EXPECT_EQ(pdf_pages(export_pdf("jpg")), 1);
}

TEST_F(ExportE2E, BilevelPagesStayUnder100KBAndGreyPagesUnderTheOriginal) {
  fs::path g4 = export_pdf("g4");
  RunResult images = run({tool("pdfimages"), "-list", g4.string()});
  EXPECT_EQ(std::count(images.out.begin(), images.out.end(), '\n'), 2 + 2) << images.out;
  EXPECT_NE(images.out.find("gray    1   1  ccitt"), std::string::npos) << images.out;
  EXPECT_LT(fs::file_size(g4), 2u * 100u * 1024u);

  fs::path jpg = export_pdf("jpg");
  images = run({tool("pdfimages"), "-list", jpg.string()});
  EXPECT_NE(images.out.find("gray    1   8  jpeg"), std::string::npos) << images.out;
  EXPECT_LE(fs::file_size(jpg), fs::file_size(original_of("jpg")));
}

TEST_F(ExportE2E, AltoValidatesAndHoldsEveryStoredWord) {
  fs::path alto_dir = sohoa::testing::source_dir() / "tests" / "data" / "alto";
  for (const std::string kind : {"g4", "jpg"}) {
    fs::path out = out_ / (kind + ".xml");
    RunResult r = sohoa({"export", id(kind), "--alto", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    RunResult lint = run({tool("xmllint"), "--nonet", "--noout", "--schema",
                          (alto_dir / "alto-4-2.xsd").string(), out.string()},
                         {"XML_CATALOG_FILES=" + (alto_dir / "catalog.xml").string()});
    EXPECT_EQ(lint.exit_code, 0) << lint.err;

    std::string xml = read_file(out);
    std::string words;
    std::regex content("CONTENT=\"([^\"]*)\"");
    for (std::sregex_iterator it(xml.begin(), xml.end(), content), end; it != end; ++it) {
      words += (*it)[1].str() + " ";
    }
    std::string stored = sohoa({"show", id(kind), "--text"}).out;
    std::replace(stored.begin(), stored.end(), '\f', ' ');
    // Stored text is built from the same words; only XML escaping differs.
    words = std::regex_replace(words, std::regex("&quot;"), "\"");
    words = std::regex_replace(words, std::regex("&lt;"), "<");
    words = std::regex_replace(words, std::regex("&gt;"), ">");
    words = std::regex_replace(words, std::regex("&amp;"), "&");
    EXPECT_EQ(sohoa::text::collapse_spaces(words), sohoa::text::collapse_spaces(stored)) << kind;
    size_t pages = 0;
    for (size_t at = xml.find("<Page "); at != std::string::npos; at = xml.find("<Page ", at + 1))
      ++pages;
    EXPECT_EQ(pages, shown(id(kind))["pages"].size());
  }
}

TEST_F(ExportE2E, OriginalIsTheIngestedBytes) {
  for (const std::string kind : {"g4", "jpg"}) {
    fs::path out = out_ / ("original-" + kind);
    RunResult r = sohoa({"export", id(kind), "--original", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(sohoa::storage::sha256_of_file(out), shown(id(kind))["sha256"].get<std::string>());
    EXPECT_EQ(read_file(out), read_file(original_of(kind)));
  }
}

TEST_F(ExportE2E, ShaPrefixNamesTheDocumentToo) {
  std::string sha = shown(id("jpg"))["sha256"];
  fs::path out = out_ / "by-sha.pdf";
  RunResult r = sohoa({"export", sha.substr(0, 12), "--pdf", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(pdf_pages(out), 1);
}

TEST_F(ExportE2E, BadDocumentOrUnwritableOutputIsAUsageError) {
  RunResult none = sohoa({"export", "9999", "--pdf", (out_ / "x.pdf").string()});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no document matches '9999'"), std::string::npos) << none.err;

  fs::path unwritable = out_ / "no-such-folder" / "x.pdf";
  RunResult bad_out = sohoa({"export", id("jpg"), "--pdf", unwritable.string()});
  EXPECT_EQ(bad_out.exit_code, 1);
  EXPECT_NE(bad_out.err.find(unwritable.string() + ": cannot write"), std::string::npos)
      << bad_out.err;

  RunResult two = sohoa({"export", id("jpg"), "--pdf", (out_ / "x.pdf").string(), "--alto",
                         (out_ / "x.xml").string()});
  EXPECT_EQ(two.exit_code, 1);
  EXPECT_NE(two.err.find("exactly one of --pdf, --alto, --original"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(out_.path()));
}

TEST_F(ExportE2E, DamagedArchiveIsFatalAndWritesNothing) {
  TempDir copy;
  std::string db = (copy / "sohoa.db").string();
  fs::copy_file(db_, db);
  fs::copy(db_ + ".files", db + ".files", fs::copy_options::recursive);
  std::string sha = shown(id("jpg"))["sha256"];
  fs::path archived = fs::path(db + ".files") / sha.substr(0, 2) / sha;
  ASSERT_TRUE(fs::exists(archived)) << archived;
  fs::permissions(archived, fs::perms::owner_write, fs::perm_options::add);
  sohoa::testing::write_file(archived, "not the scan");

  for (const std::string flag : {"--original", "--pdf"}) {
    fs::path out = out_ / "damaged";
    RunResult r = sohoa({"export", id("jpg"), flag, out.string()}, db);
    EXPECT_EQ(r.exit_code, 2) << flag;
    EXPECT_NE(r.err.find("does not hash to its recorded SHA-256"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_empty(out_.path())) << flag;
  }
}

TEST_F(ExportE2E, AllWritesOnePdfPerDocumentNamedByUnitYearAndNumber) {
  fs::path dir = out_ / "batch";
  RunResult r = sohoa({"export", "--all", "--pdf", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::regex name(R"(^[a-z0-9-]+_([0-9]{4}|undated)_([A-Z0-9-]+|id[0-9]+)(_id[0-9]+)?\.pdf$)");
  std::map<int, int> pages_by_count;
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++files;
    std::string file = e.path().filename().string();
    EXPECT_TRUE(std::regex_match(file, name)) << file;
    ++pages_by_count[pdf_pages(e.path())];
  }
  EXPECT_EQ(files, 2);
  EXPECT_EQ(pages_by_count[1], 1);
  EXPECT_EQ(pages_by_count[2], 1);
  EXPECT_EQ(sohoa::testing::lines_of(r.out).size(), 2u) << r.out;
}

}  // namespace
