// End to end: the built `sohoa` program on scans made by the samples
// generator, as a clerk would run it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "storage/file_hash.h"
#include "tests/support/test_support.h"
#include "text/vntext.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::testing::lines_of;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;

// Clean generated scans shared by the tests of this file (OCR is the slow part).
class IngestE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scans_ = new TempDir();
    sohoa::testing::generate_scans(scans_->path() / "in", {.count = 4, .seed = 11});
    // One ingest for the tests that only read: OCR is the slow part.
    std::string db = (scans_->path() / "base.db").string();
    sohoa::testing::create_database(db);
    base_ingest_ = new RunResult(
        run({sohoa::testing::sohoa_bin(), "ingest", input_dir().string(), "--unit", "tay-hoa",
             "--json", "--digitized-at", "2022-06-30", "--station", "hoa-dong-1", "--db", db}));
  }
  static void TearDownTestSuite() {
    delete base_ingest_;
    base_ingest_ = nullptr;
    delete scans_;
    scans_ = nullptr;
  }

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

  static fs::path input_dir() { return scans_->path() / "in"; }

  // Starts this test from the suite's ingested database and archive.
  void use_ingested_database() {
    fs::copy_file(scans_->path() / "base.db", db_, fs::copy_options::overwrite_existing);
    fs::copy(scans_->path() / "base.db.files", db_ + ".files", fs::copy_options::recursive);
  }

  static std::vector<json> truths() {
    std::vector<json> out;
    for (const auto& e : fs::directory_iterator(input_dir())) {
      if (e.path().string().ends_with(".truth.json"))
        out.push_back(json::parse(read_file(e.path())));
    }
    return out;
  }

  static std::vector<json> ndjson(const std::string& out) {
    std::vector<json> rows;
    for (const auto& line : lines_of(out)) {
      if (line.find("\"status\":\"skipped\"") != std::string::npos)
        continue;  // the truth files beside the scans
      rows.push_back(json::parse(line));
    }
    return rows;
  }

  static TempDir* scans_;
  static RunResult* base_ingest_;
  TempDir dir_;
  std::string db_;
};

TempDir* IngestE2E::scans_ = nullptr;
RunResult* IngestE2E::base_ingest_ = nullptr;

TEST_F(IngestE2E, StoresEveryScanAndShowsTheSpecRecord) {
  const RunResult& r = *base_ingest_;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  use_ingested_database();
  auto rows = ndjson(r.out);
  ASSERT_EQ(rows.size(), 4u) << r.out;
  for (const auto& row : rows) {
    EXPECT_EQ(row["status"], "ok") << row;
    EXPECT_TRUE(row["id"].is_number_integer());
    EXPECT_TRUE(row["error"].is_null());
    std::vector<std::string> keys;
    for (auto it = row.begin(); it != row.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys.size(), 5u);
  }

  // Every document's stored text holds its known title and number lines.
  for (const auto& truth : truths()) {
    std::string source = (input_dir() / truth["file"].get<std::string>()).string();
    auto row = std::find_if(rows.begin(), rows.end(),
                            [&](const json& j) { return j["source"] == source; });
    ASSERT_NE(row, rows.end()) << source;
    EXPECT_EQ((*row)["pages"], truth["pages"].size());

    RunResult show = sohoa({"show", std::to_string((*row)["id"].get<int>()), "--json"});
    ASSERT_EQ(show.exit_code, 0) << show.err;
    json doc = json::parse(show.out);
    for (const char* key : {"id", "sha256", "source", "station", "unit", "issuer_unit", "level",
                            "digitized_at", "status", "error", "metadata", "pages"}) {
      EXPECT_TRUE(doc.contains(key)) << key;
    }
    for (const char* key : {"doc_type", "doc_number", "issued_date", "place", "authority",
                            "subject", "signer", "signer_role", "citizen_ids", "dossier_code"}) {
      EXPECT_TRUE(doc["metadata"].contains(key)) << key;
    }
    EXPECT_EQ(doc["sha256"], sohoa::storage::sha256_of_file(source));
    EXPECT_EQ(doc["source"], source);
    EXPECT_EQ(doc["station"], "hoa-dong-1");
    EXPECT_EQ(doc["unit"], "tay-hoa");
    EXPECT_EQ(doc["digitized_at"], "2022-06-30");
    ASSERT_EQ(doc["pages"].size(), truth["pages"].size());
    const json& page = doc["pages"][0];
    for (const char* key : {"page", "width", "height", "dpi", "rotation", "skew_deg",
                            "ocr_confidence", "text", "codes"}) {
      EXPECT_TRUE(page.contains(key)) << key;
    }
    EXPECT_EQ(page["page"], 1);
    EXPECT_EQ(page["width"], 2480);
    EXPECT_EQ(page["height"], 3508);
    EXPECT_EQ(page["dpi"], 300);
    // A flat 300 dpi scan of 13 pt type: its text says about 300 too.
    ASSERT_TRUE(page["text_dpi"].is_number()) << page.dump();
    EXPECT_NEAR(page["text_dpi"].get<int>(), 300, 90);
    EXPECT_GT(page["ocr_confidence"].get<double>(), 80.0);
    std::string text = page["text"];
    // The small `vie` model may miss a tone mark on a clean page ("GIẦY"):
    // titles are compared folded; the national name must be exact.
    EXPECT_NE(sohoa::text::fold(text).find(
                  sohoa::text::fold(truth["metadata"]["doc_type"].get<std::string>())),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos) << text;

    // The original is archived byte for byte.
    std::string sha = doc["sha256"];
    fs::path archived = fs::path(db_ + ".files") / sha.substr(0, 2) / sha;
    EXPECT_EQ(read_file(archived), read_file(source));
  }
}

TEST_F(IngestE2E, SearchFindsAccentedTitleFromPlainQuery) {
  use_ingested_database();
  // "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" heads every page: a plain query finds them all.
  RunResult all = sohoa({"search", "cong hoa xa hoi chu nghia", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(ndjson(all.out).size(), 4u) << all.out;

  for (const auto& truth : truths()) {
    // Each document's own title, typed without accents, finds it.
    std::string title = sohoa::text::fold(truth["metadata"]["doc_type"].get<std::string>());
    RunResult hit = sohoa({"search", "\"" + title + "\"", "--json"});
    ASSERT_EQ(hit.exit_code, 0) << hit.err;
    auto hits = ndjson(hit.out);
    ASSERT_FALSE(hits.empty()) << title;
    for (const char* key :
         {"id", "score", "doc_number", "issued_date", "doc_type", "unit", "snippet"}) {
      EXPECT_TRUE(hits[0].contains(key)) << key;
    }
  }
}

TEST_F(IngestE2E, ReingestReportsDuplicates) {
  const RunResult& first = *base_ingest_;
  ASSERT_EQ(first.exit_code, 0) << first.err;
  use_ingested_database();
  RunResult again = sohoa({"ingest", input_dir().string(), "--unit", "tay-hoa", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto a = ndjson(first.out), b = ndjson(again.out);
  ASSERT_EQ(b.size(), a.size());
  for (const auto& row : b) {
    EXPECT_EQ(row["status"], "duplicate");
    auto twin = std::find_if(a.begin(), a.end(),
                             [&](const json& j) { return j["source"] == row["source"]; });
    ASSERT_NE(twin, a.end());
    EXPECT_EQ(row["id"], (*twin)["id"]);
  }
}

TEST_F(IngestE2E, CorruptFileFailsWhileTheRestIsStored) {
  fs::path batch = dir_ / "batch";
  fs::create_directories(batch);
  std::vector<fs::path> good;
  for (const auto& e : fs::directory_iterator(input_dir())) {
    if (!e.path().string().ends_with(".json") && good.size() < 2) {
      good.push_back(batch / e.path().filename());
      fs::copy_file(e.path(), good.back());
    }
  }
  std::string png;
  for (const auto& e : fs::directory_iterator(input_dir())) {
    if (e.path().extension() == ".png") png = read_file(e.path());
  }
  ASSERT_FALSE(png.empty());
  sohoa::testing::write_file(batch / "broken.png", png.substr(0, png.size() / 3));
  sohoa::testing::write_file(batch / "empty.tif",
                             std::string("II*\0\x08\0\0\0", 8));  // a header only
  sohoa::testing::write_file(batch / ".hidden.png", png);         // skipped: hidden

  RunResult r = sohoa({"ingest", batch.string(), "--unit", "tay-hoa", "--json"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  auto rows = ndjson(r.out);
  ASSERT_EQ(rows.size(), 4u) << r.out;
  int ok = 0, failed = 0;
  for (const auto& row : rows) {
    if (row["status"] == "ok") ++ok;
    if (row["status"] == "failed") {
      ++failed;
      EXPECT_TRUE(row["error"].is_string());
      EXPECT_TRUE(row["id"].is_number_integer()) << "a failed file is recorded";
    }
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(failed, 2);
  EXPECT_NE(r.err.find("broken.png"), std::string::npos) << r.err;

  // The failed record says why; the next ingest tries the file again.
  RunResult again =
      sohoa({"ingest", (batch / "broken.png").string(), "--unit", "tay-hoa", "--json"});
  EXPECT_EQ(again.exit_code, 3);
  auto row = ndjson(again.out).at(0);
  EXPECT_EQ(row["status"], "failed");
  json shown = json::parse(sohoa({"show", std::to_string(row["id"].get<int>()), "--json"}).out);
  EXPECT_EQ(shown["status"], "failed");
  EXPECT_TRUE(shown["error"].is_string());
}

TEST_F(IngestE2E, UnknownUnitIsAUsageErrorAndStoresNothing) {
  RunResult r = sohoa({"ingest", input_dir().string(), "--unit", "no-such-unit"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no-such-unit"), std::string::npos) << r.err;
  RunResult missing = sohoa({"ingest", input_dir().string()});
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  RunResult search = sohoa({"search", "", "--json"});
  EXPECT_EQ(search.out, "");
}

TEST_F(IngestE2E, UnopenableDatabaseIsFatal) {
  RunResult r = run({sohoa::testing::sohoa_bin(), "search", "x", "--db",
                     (dir_ / "no" / "such" / "folder" / "s.db").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST_F(IngestE2E, ShowTextSeparatesPagesWithFormFeed) {
  fs::path multi = dir_ / "multi";
  sohoa::testing::generate_scans(multi, {.seed = 5, .pages = 2});
  RunResult r = sohoa({"ingest", multi.string(), "--unit", "tay-hoa", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto row = ndjson(r.out).at(0);
  EXPECT_EQ(row["pages"], 2);
  RunResult text = sohoa({"show", std::to_string(row["id"].get<int>()), "--text"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_EQ(std::count(text.out.begin(), text.out.end(), '\f'), 1) << text.out;
  EXPECT_NE(text.out.find("CỘNG HÒA"), std::string::npos);
}

TEST_F(IngestE2E, OddSearchInputNeverCrashes) {
  use_ingested_database();
  for (std::string q : {"\"", "*", "-", "NEAR(", "", "AND", ")", "\"unclosed phrase", "a OR",
                        "-only", "💥", "x\"y", "NOT", "^", "col:val", "{a b}"}) {
    RunResult r = sohoa({"search", q});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << "query [" << q << "] exit " << r.exit_code;
    if (r.exit_code == 1) {
      EXPECT_FALSE(r.err.empty()) << q;
    }
  }
  EXPECT_EQ(sohoa({"search", "\"unclosed"}).exit_code, 1);
}

TEST_F(IngestE2E, HelpExplainsEveryCommand) {
  for (std::string cmd : {"", "ingest", "show", "search", "units"}) {
    std::vector<std::string> args = {sohoa::testing::sohoa_bin()};
    if (!cmd.empty()) args.push_back(cmd);
    args.push_back("--help");
    RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd;
  }
}

}  // namespace
