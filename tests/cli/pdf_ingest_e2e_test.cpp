// End to end: `sohoa ingest` on PDFs as offices get them: born-digital
// (text_source pdf), e-office copies with an owner password only, scans with
// an old OCR layer; and their hostile twins: a user password, a Flate bomb
// whose memory is measured on the child process.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tests/support/pdf_builder.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::testing::build_pdf;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::stream_object;
using sohoa::testing::TempDir;

const char* const kText = "QUYẾT ĐỊNH\nSố: 392/QĐ-UBND\nVề việc cấp giấy phép xây dựng\n";

std::string a4_page(const std::string& content, const std::string& resources) {
  return build_pdf({"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
                    "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<<" + resources +
                        ">>/Contents 4 0 R>>",
                    stream_object("", content), "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
                    "<</Type/XObject/Subtype/Image>>"});
}

// An A4 scan page whose 2480x3508 grey image inflates to 4 GiB of zeros.
std::string bomb_pdf() {
  return build_pdf({"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
                    "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
                    "/Resources<</XObject<</Im0 5 0 R>>>>/Contents 4 0 R>>",
                    stream_object("", "q 595 0 0 842 0 0 cm /Im0 Do Q"),
                    stream_object("/Type/XObject/Subtype/Image/Width 2480/Height 3508"
                                  "/ColorSpace/DeviceGray/BitsPerComponent 8/Filter/FlateDecode",
                                  sohoa::testing::zero_bomb(256))});
}

// Peak resident memory of a child running argv (no shell), in MiB, and its
// exit code.
std::pair<long, int> peak_rss_mib(const std::vector<std::string>& argv) {
  // What the parent has buffered must not be written again by the child.
  std::cout.flush();
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  return {usage.ru_maxrss / 1024, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

class PdfIngestE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_ / "sohoa.db").string();
    ASSERT_EQ(sohoa({"units", "import", sohoa::testing::units_csv_path().string()}).exit_code, 0);
    fs::create_directories(dir_ / "in");
  }

  RunResult sohoa(std::vector<std::string> args) {
    args.insert(args.begin(), sohoa::testing::sohoa_bin());
    args.push_back("--db");
    args.push_back(db_);
    return run(args);
  }

  fs::path text_pdf(const fs::path& out) {
    sohoa::testing::write_file(dir_ / "text.txt", kText);
    auto r = run({"/usr/bin/pango-view", "-q", "--output=" + out.string(), "--font=DejaVu Serif 12",
                  "--width=515", "--height=762", "--margin=40", "--dpi=72",
                  (dir_ / "text.txt").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return out;
  }

  void encrypt(const fs::path& in, const std::string& user, const fs::path& out) {
    auto r = run({"/usr/bin/qpdf", "--warning-exit-0", "--encrypt", user, "owner-secret", "256",
                  "--", in.string(), out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  std::map<std::string, json> ingest_lines(const RunResult& r) {
    std::map<std::string, json> by_name;
    for (const auto& line : sohoa::testing::lines_of(r.out)) {
      json j = json::parse(line);
      by_name[fs::path(j["source"].get<std::string>()).filename().string()] = j;
    }
    return by_name;
  }

  json show(int64_t id) {
    auto r = sohoa({"show", std::to_string(id), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }

  TempDir dir_;
  std::string db_;
};

TEST_F(PdfIngestE2E, TextAndOwnerPasswordPdfsAreStoredFromTheirTextAndHostileOnesFail) {
  text_pdf(dir_ / "in" / "text.pdf");
  encrypt(dir_ / "in" / "text.pdf", "", dir_ / "in" / "sao-y.pdf");
  encrypt(dir_ / "in" / "text.pdf", "user-secret", dir_ / "in" / "locked.pdf");
  sohoa::testing::write_file(dir_ / "in" / "bomb.pdf", bomb_pdf());
  auto r = sohoa({"ingest", (dir_ / "in").string(), "--unit", "tay-hoa", "--json"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  auto lines = ingest_lines(r);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines["locked.pdf"]["status"], "failed");
  EXPECT_EQ(lines["locked.pdf"]["error"], "encrypted PDF (password)");
  EXPECT_EQ(lines["bomb.pdf"]["status"], "failed");
  EXPECT_EQ(lines["bomb.pdf"]["error"],
            "page 1: image data inflates past its declared 2480x3508 pixels (a decompression "
            "bomb)");
  for (const char* name : {"text.pdf", "sao-y.pdf"}) {
    ASSERT_EQ(lines[name]["status"], "ok") << name << ": " << lines[name].dump();
    json doc = show(lines[name]["id"].get<int64_t>());
    ASSERT_EQ(doc["pages"].size(), 1u);
    EXPECT_EQ(doc["pages"][0]["text_source"], "pdf") << name;
    EXPECT_EQ(doc["pages"][0]["text"], kText) << name;
    EXPECT_EQ(doc["pages"][0]["dpi"], 300);
    EXPECT_EQ(doc["metadata"]["doc_number"], "392/QĐ-UBND") << name;
  }
  // The stored layout gives ALTO word boxes from the PDF's words.
  auto alto = dir_ / "text.xml";
  auto exported = sohoa(
      {"export", std::to_string(lines["text.pdf"]["id"].get<int64_t>()), "--alto", alto.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::string xml = sohoa::testing::read_file(alto);
  EXPECT_NE(xml.find("CONTENT=\"392/QĐ-UBND\""), std::string::npos) << xml.substr(0, 2000);
}

TEST_F(PdfIngestE2E, FlateBombMemoryStaysWithinThePixelBudget) {
  // 4 GiB under an image dictionary; 1 GiB in the object stream holding the
  // page tree; 1 GiB in the cross-reference stream. Unguarded, they took
  // 8.5 GB; 2.2 GB and 87 s; 2.2 GB and 52 s.
  sohoa::testing::write_file(dir_ / "image-bomb.pdf", bomb_pdf());
  sohoa::testing::write_file(dir_ / "objstm-bomb.pdf", sohoa::testing::object_stream_pdf(64));
  sohoa::testing::write_file(dir_ / "xref-bomb.pdf", sohoa::testing::object_stream_pdf(0, 64));
  // The same run on a small good PDF: the program's own footprint, which a
  // sanitizer build raises by some 400 MiB.
  sohoa::testing::write_file(dir_ / "small.pdf", sohoa::testing::object_stream_pdf(0));
  auto [base, base_code] =
      peak_rss_mib({sohoa::testing::sohoa_bin(), "ingest", (dir_ / "small.pdf").string(), "--unit",
                    "tay-hoa", "--db", db_});
  EXPECT_EQ(base_code, 0);
  for (const char* name : {"image-bomb.pdf", "objstm-bomb.pdf", "xref-bomb.pdf"}) {
    auto [mib, code] = peak_rss_mib({sohoa::testing::sohoa_bin(), "ingest", (dir_ / name).string(),
                                     "--unit", "tay-hoa", "--db", db_});
    EXPECT_EQ(code, 3) << name;
    // The pixel limit's budget (120 MP) is some 500 MiB; a bomb may add at
    // most its 64 MB caps to the program's footprint.
    EXPECT_LT(mib, base + 200) << name << ": peak RSS " << mib << " MiB, small PDF " << base;
    std::cout << name << " (" << fs::file_size(dir_ / name) / 1024 << " KiB): ingest peak RSS "
              << mib << " MiB (small good PDF: " << base << " MiB)\n";
  }
}

TEST_F(PdfIngestE2E, ScanWithAnOldGarbageLayerIsOcred) {
  auto gen = run({sohoa::testing::samples_bin(), "--out", (dir_ / "gen").string(), "--count", "1",
                  "--seed", "5", "--profile", "clean", "--format", "pdf", "--units",
                  sohoa::testing::units_csv_path().string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  // An old OCR layer: invisible garbage words over the scan.
  sohoa::testing::write_file(
      dir_ / "layer.pdf",
      a4_page("BT 3 Tr /F1 12 Tf 72 700 Td (Qxzv ggarble wqq) Tj ET", "/Font<</F1 5 0 R>>"));
  auto overlay = run({"/usr/bin/qpdf", "--warning-exit-0", (dir_ / "gen" / "doc-0001.pdf").string(),
                      "--overlay", (dir_ / "layer.pdf").string(), "--",
                      (dir_ / "in" / "layered.pdf").string()});
  ASSERT_EQ(overlay.exit_code, 0) << overlay.err;
  auto r = sohoa({"ingest", (dir_ / "in" / "layered.pdf").string(), "--unit", "tay-hoa", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = show(json::parse(r.out)["id"].get<int64_t>());
  ASSERT_GE(doc["pages"].size(), 1u);
  EXPECT_EQ(doc["pages"][0]["text_source"], "ocr");
  std::string text = doc["pages"][0]["text"];
  EXPECT_EQ(text.find("ggarble"), std::string::npos);
  EXPECT_NE(text.find("CỘNG HÒA"), std::string::npos) << text;
}

TEST_F(PdfIngestE2E, RealLawIsStoredFromItsText) {
  fs::path pdf;
  for (const char* up : {"..", "../.."}) {
    fs::path candidate =
        sohoa::testing::source_dir() / up / "shared/data/real/New_54.2014.QH13.pdf";
    if (fs::exists(candidate)) pdf = candidate;
  }
  if (pdf.empty()) GTEST_SKIP() << "shared/data/real not beside the source tree";
  auto r = sohoa({"ingest", pdf.string(), "--unit", "tay-hoa", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = show(json::parse(r.out)["id"].get<int64_t>());
  ASSERT_EQ(doc["pages"].size(), 3u);
  for (const auto& page : doc["pages"]) EXPECT_EQ(page["text_source"], "pdf");
  EXPECT_NE(doc["pages"][0]["text"].get<std::string>().find("Luật số: 54/2014/QH13"),
            std::string::npos);
  EXPECT_EQ(doc["metadata"]["authority"], "QUỐC HỘI");
}

}  // namespace
