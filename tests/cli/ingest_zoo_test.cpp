// Bad input never stops a batch: a folder of broken, hostile and odd files
// made at test time, ingested with two good scans among them.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <vips/vips8>

#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;
using sohoa::testing::write_file;

// One generated scan of `format` under `dir`; returns its path.
fs::path generate_scan(const fs::path& dir, const std::string& format, unsigned seed) {
  return sohoa::testing::generate_scans(dir, {.seed = seed, .format = format}).front();
}

std::string first_half(const fs::path& file) {
  std::string bytes = read_file(file);
  return bytes.substr(0, bytes.size() / 2);
}

std::string random_bytes(size_t n, unsigned seed) {
  std::string out(n, '\0');
  for (auto& c : out) {
    seed = seed * 1103515245u + 12345u;
    c = static_cast<char>(seed >> 16);
  }
  return out;
}

// A 1-bit Group 4 TIFF really 50,000 pixels square: blank, so it is small.
void write_huge_image(const fs::path& path) {
  vips::VImage blank = vips::VImage::black(50000, 50000) + 255;
  blank.cast(VIPS_FORMAT_UCHAR)
      .tiffsave(path.c_str(), vips::VImage::option()
                                  ->set("compression", VIPS_FOREIGN_TIFF_COMPRESSION_CCITTFAX4)
                                  ->set("bitdepth", 1));
}

void write_tiny_image(const fs::path& path) {
  (vips::VImage::black(1, 1) + 255).cast(VIPS_FORMAT_UCHAR).pngsave(path.c_str());
}

class IngestZoo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(VIPS_INIT("ingest_zoo_test"), 0); }

  void SetUp() override {
    db_ = (dir_ / "sohoa.db").string();
    sohoa::testing::create_database(db_);
  }

  RunResult sohoa(std::vector<std::string> args) {
    args.insert(args.begin(), sohoa::testing::sohoa_bin());
    args.push_back("--db");
    args.push_back(db_);
    return run(args);
  }

  // The zoo: file name -> what its error must say ("" for good scans).
  std::map<std::string, std::string> make_zoo(const fs::path& zoo) {
    fs::path gen = dir_ / "gen";
    fs::path png = generate_scan(gen / "png", "png", 3);
    fs::path jpg = generate_scan(gen / "jpg", "jpg", 4);
    fs::path tif = generate_scan(gen / "tif", "tif", 5);
    fs::path pdf = generate_scan(gen / "pdf", "pdf", 6);
    fs::create_directories(zoo / "hồ sơ mới");
    fs::copy_file(png, zoo / "hồ sơ mới" / "Quyết định số 1.png");
    fs::copy_file(jpg, zoo / "good.jpg");
    write_file(zoo / "empty.png", "");
    write_file(zoo / "truncated.png", first_half(png));
    write_file(zoo / "truncated.jpg", first_half(jpg));
    write_file(zoo / "truncated.tif", first_half(tif));
    write_file(zoo / "random.tif", random_bytes(40000, 7));
    RunResult enc = run({"/usr/bin/qpdf", "--encrypt", "secret", "owner", "256", "--", pdf.string(),
                         (zoo / "password.pdf").string()});
    EXPECT_EQ(enc.exit_code, 0) << enc.err;
    RunResult empty = run({"/usr/bin/qpdf", "--empty", (zoo / "no-pages.pdf").string()});
    EXPECT_EQ(empty.exit_code, 0) << empty.err;
    // Hostile twins of the JPEG (issue 19): cut in half yet ending with EOI,
    // and a 64x64 picture whose header claims 11999x10000.
    std::string jpeg = read_file(jpg);
    write_file(zoo / "cut-with-eoi.jpg",
               sohoa::testing::jpeg_cut_keeping_eoi(jpeg, jpeg.size() / 2));
    fs::path small = gen / "small.jpg";
    (vips::VImage::black(64, 64) + 200).cast(VIPS_FORMAT_UCHAR).jpegsave(small.c_str());
    write_file(zoo / "lying-size.jpg",
               sohoa::testing::jpeg_claiming_size(read_file(small), 11999, 10000));
    // Names that are not UTF-8 or hold a newline: printed as U+FFFD and "\n".
    write_file(zoo / "latin1-\xE9t\xE9.png", "");
    write_file(zoo / "two\nlines.png", "");
    write_huge_image(zoo / "huge.tif");
    write_tiny_image(zoo / "tiny.png");
    fs::create_directory_symlink(".", zoo / "loop");
    fs::create_symlink("b.png", zoo / "a.png");
    fs::create_symlink("a.png", zoo / "b.png");
    return {
        {"hồ sơ mới/Quyết định số 1.png", ""},
        {"good.jpg", ""},
        {"empty.png", "empty file"},  // skipped: not a scan by content
        {"truncated.png", ""},        // any reason: the decoder's words
        {"truncated.jpg", ""},
        {"truncated.tif", ""},
        {"random.tif", "not an image or PDF"},  // skipped, whatever its name
        {"password.pdf", "encrypted PDF"},
        {"no-pages.pdf", "no pages"},
        {"cut-with-eoi.jpg", "page 1: "},
        {"lying-size.jpg", "page 1: "},
        {"latin1-\xEF\xBF\xBDt\xEF\xBF\xBD.png", "empty file"},
        {"two\nlines.png", "empty file"},
        {"huge.tif", "over the limit"},
        {"tiny.png", "too small"},
        {"loop", "symbolic link loop"},
        {"a.png", "symbolic links"},
        {"b.png", "symbolic links"},
    };
  }

  TempDir dir_;
  std::string db_;
};

TEST_F(IngestZoo, EveryBadFileIsReportedAndTheGoodOnesAreStored) {
  fs::path zoo = dir_ / "zoo";
  auto expected = make_zoo(zoo);
  const std::set<std::string> good = {"hồ sơ mới/Quyết định số 1.png", "good.jpg"};
  // SPEC: files in a folder that are not scans by content are skipped.
  const std::set<std::string> skipped = {"empty.png", "random.tif",
                                         "latin1-\xEF\xBF\xBDt\xEF\xBF\xBD.png", "two\nlines.png"};
  RunResult r = sohoa({"ingest", zoo.string(), "--unit", "tay-hoa", "--jobs", "2", "--json"});
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;

  std::map<std::string, json> by_name;
  for (const auto& line : sohoa::testing::lines_of(r.out)) {
    json row = json::parse(line);
    std::string name = fs::path(row["source"].get<std::string>()).lexically_relative(zoo);
    EXPECT_EQ(by_name.count(name), 0u) << "reported twice: " << name;
    by_name[name] = row;
  }
  ASSERT_EQ(by_name.size(), expected.size()) << r.out;
  for (const auto& [name, reason] : expected) {
    ASSERT_EQ(by_name.count(name), 1u) << name << "\n" << r.out;
    const json& row = by_name[name];
    if (good.count(name)) {
      EXPECT_EQ(row["status"], "ok") << row;
      EXPECT_EQ(row["pages"], 1) << row;
      EXPECT_TRUE(row["error"].is_null()) << row;
      continue;
    }
    EXPECT_EQ(row["status"], skipped.count(name) ? "skipped" : "failed") << row;
    ASSERT_TRUE(row["error"].is_string()) << row;
    EXPECT_FALSE(row["error"].get<std::string>().empty()) << row;
    EXPECT_NE(row["error"].get<std::string>().find(reason), std::string::npos) << row;
    // The library's words, not its class names (VipsJpeg, tiff2vips...).
    EXPECT_EQ(row["error"].get<std::string>().find("Vips"), std::string::npos) << row;
    EXPECT_EQ(row["error"].get<std::string>().find("2vips"), std::string::npos) << row;
    std::string printed = name == "two\nlines.png" ? "two\\nlines.png" : name;
    if (!skipped.count(name)) {
      EXPECT_NE(r.err.find(printed), std::string::npos) << "no stderr line for " << name;
    }
  }
  // One line per problem, each naming its file; skipped files are no problem.
  EXPECT_EQ(sohoa::testing::lines_of(r.err).size(), expected.size() - good.size() - skipped.size())
      << r.err;
  // Each a `sohoa:` line that begins with the file's path (issue 19.9): no
  // library's own lines, no line a name's newline split.
  for (const auto& line : sohoa::testing::lines_of(r.err)) {
    EXPECT_TRUE(line.starts_with("sohoa: " + zoo.string() + "/")) << line;
  }
  // Scans that cannot be read are recorded as failed (so review lists them);
  // non-scans and links that lead nowhere have no record.
  for (const char* recorded : {"truncated.png", "password.pdf", "huge.tif"}) {
    EXPECT_TRUE(by_name[recorded]["id"].is_number_integer()) << recorded;
  }
  for (const char* unrecorded : {"empty.png", "random.tif", "loop", "a.png"}) {
    EXPECT_TRUE(by_name[unrecorded]["id"].is_null()) << unrecorded;
  }

  // The good ones are searchable under their path with spaces and accents.
  RunResult show =
      sohoa({"show", std::to_string(by_name[*good.begin()]["id"].get<int>()), "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(json::parse(show.out)["source"], (zoo / *good.begin()).string());

  // Rerun: the good ones are duplicates, the bad ones are tried and fail again.
  RunResult again = sohoa({"ingest", zoo.string(), "--unit", "tay-hoa", "--json"});
  EXPECT_EQ(again.exit_code, 3) << again.err;
  int duplicates = 0, failed = 0;
  for (const auto& line : sohoa::testing::lines_of(again.out)) {
    json row = json::parse(line);
    duplicates += row["status"] == "duplicate";
    failed += row["status"] == "failed";
  }
  EXPECT_EQ(duplicates, 2);
  // All but the good two and the skipped two.
  EXPECT_EQ(failed, static_cast<int>(expected.size() - good.size() - skipped.size()));
}

TEST_F(IngestZoo, NoProgressLineWhenOutputIsNotATerminal) {
  fs::path scans = dir_ / "scans";
  generate_scan(scans, "png", 9);
  RunResult r = sohoa({"ingest", scans.string(), "--unit", "tay-hoa"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.find('\r'), std::string::npos);
  // The truth file beside the scan is no scan: skipped (issue 18).
  EXPECT_NE(r.out.find("ingested: 1 stored"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(", 0 duplicate, 0 failed, 1 skipped, 1 pages"), std::string::npos) << r.out;
}

}  // namespace
