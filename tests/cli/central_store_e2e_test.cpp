// The central store end to end: the real build/sohoa run on the same scans
// with --db a SQLite file and with --db postgresql://… prints the same
// (SPEC "Central store and stations": every command behaves and prints the
// same on either). Needs $SOHOA_TEST_POSTGRES (scripts/test sets it).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/test_store.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::StoreKind;
using sohoa::testing::TempDir;
using sohoa::testing::TestStore;

class CentralStoreE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    sqlite_ = TestStore::make(StoreKind::kSqlite, dir_->path()).release();
    postgres_ = TestStore::make(StoreKind::kPostgres, dir_->path()).release();
    if (postgres_ == nullptr) return;
    // Two scans of the shipped samples: a PNG and a two-format mix.
    fs::create_directories(dir_->path() / "scans");
    for (const char* name : {"doc-0001.png", "doc-0003.jpg"}) {
      fs::copy_file(sohoa::testing::source_dir() / "samples" / "scans" / name,
                    dir_->path() / "scans" / name);
    }
    for (const TestStore* store : {sqlite_, postgres_}) {
      const std::string& db = store->arg();
      RunResult units =
          sohoa({"units", "import", sohoa::testing::units_csv_path().string(), "--db", db});
      ASSERT_EQ(units.exit_code, 0) << units.err;
      RunResult reg =
          sohoa({"register", "import",
                 (sohoa::testing::source_dir() / "samples" / "register.csv").string(), "--db", db});
      ASSERT_EQ(reg.exit_code, 0) << reg.err;
      RunResult ingest =
          sohoa({"ingest", (dir_->path() / "scans").string(), "--unit", "hoa-phu", "--jobs", "1",
                 "--digitized-at", "2026-11-30", "--json", "--db", db});
      ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
      ingest_out_.push_back(ingest.out);
    }
  }

  static void TearDownTestSuite() {
    delete sqlite_;
    delete postgres_;
    delete dir_;
  }

  void SetUp() override {
    if (postgres_ == nullptr) {
      GTEST_SKIP() << "SOHOA_TEST_POSTGRES is not set: no PostgreSQL server to test on";
    }
    ASSERT_EQ(ingest_out_.size(), 2u) << "set-up failed";
  }

  static RunResult sohoa(std::vector<std::string> args) {
    args.insert(args.begin(), sohoa::testing::sohoa_bin());
    return run(args);
  }

  // The same command on both stores: exit code and output must agree.
  static std::pair<RunResult, RunResult> both(const std::vector<std::string>& args) {
    auto with_db = [&](const TestStore* store) {
      std::vector<std::string> a = args;
      a.push_back("--db");
      a.push_back(store->arg());
      return sohoa(a);
    };
    return {with_db(sqlite_), with_db(postgres_)};
  }

  static void expect_same(const std::vector<std::string>& args) {
    auto [lite, pg] = both(args);
    EXPECT_EQ(lite.exit_code, pg.exit_code) << pg.err;
    EXPECT_EQ(lite.out, pg.out) << "sohoa " << args[0];
    EXPECT_FALSE(lite.out.empty()) << "sohoa " << args[0] << ": " << lite.err;
  }

  static TempDir* dir_;
  static TestStore* sqlite_;
  static TestStore* postgres_;
  static std::vector<std::string> ingest_out_;
};

TempDir* CentralStoreE2E::dir_ = nullptr;
TestStore* CentralStoreE2E::sqlite_ = nullptr;
TestStore* CentralStoreE2E::postgres_ = nullptr;
std::vector<std::string> CentralStoreE2E::ingest_out_;

TEST_F(CentralStoreE2E, IngestReportsTheSame) {
  EXPECT_EQ(ingest_out_[0], ingest_out_[1]);
  EXPECT_EQ(sohoa::testing::lines_of(ingest_out_[1]).size(), 2u) << ingest_out_[1];
}

TEST_F(CentralStoreE2E, ShowListUnitsAndReviewPrintTheSame) {
  for (const char* id : {"1", "2"}) expect_same({"show", id, "--json"});
  expect_same({"show", "1", "--text"});
  expect_same({"list", "--json"});
  expect_same({"units", "list", "--json"});
  expect_same({"review", "--queue", "--json"});
}

TEST_F(CentralStoreE2E, ProgressPrintsTheSame) {
  expect_same({"progress", "--format", "json"});
  expect_same({"progress", "--by", "unit", "--format", "csv"});
  expect_same({"progress", "--format", "table", "--as-of", "2026-12-31"});
}

// Both stores rank by storage/search_rank.h: the hits, their order, scores
// and snippets are the same.
TEST_F(CentralStoreE2E, SearchFindsTheSameHitsWithTheSameSnippets) {
  for (const char* q :
       {"quyet dinh", "Thông báo", "\"giai quyet\"", "hoa*", "xyz-nothing", "Quyết định -xyz"}) {
    auto [lite, pg] = both({"search", q, "--json"});
    ASSERT_EQ(lite.exit_code, 0) << lite.err;
    ASSERT_EQ(pg.exit_code, 0) << pg.err;
    auto a = sohoa::testing::lines_of(lite.out);
    auto b = sohoa::testing::lines_of(pg.out);
    ASSERT_EQ(a.size(), b.size()) << q << "\n" << lite.out << "\n" << pg.out;
    for (size_t i = 0; i < a.size(); ++i) {
      json x = json::parse(a[i]), y = json::parse(b[i]);
      EXPECT_GT(y["score"].get<double>(), 0.0);
      EXPECT_EQ(x, y) << q;
    }
  }
  auto [lite, pg] = both({"search", "\"unbalanced"});
  EXPECT_EQ(lite.exit_code, 1);
  EXPECT_EQ(pg.exit_code, 1);
}

TEST_F(CentralStoreE2E, ExportOriginalIsByteForByteFromEither) {
  auto [lite, pg] = both({"show", "2", "--json"});
  std::string source = json::parse(pg.out)["source"].get<std::string>();
  for (const TestStore* store : {sqlite_, postgres_}) {
    fs::path out = dir_->path() / (sohoa::testing::store_name(store->kind()) + ".orig");
    RunResult r = sohoa({"export", "2", "--original", out.string(), "--db", store->arg()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(out), read_file(source));
  }
  // A damaged original in the central store is refused, not exported.
  sohoa::testing::postgres_exec(postgres_->arg(),
                                "UPDATE originals SET bytes = 'x'::bytea WHERE sha256 = "
                                "(SELECT archive_sha256 FROM documents WHERE id = 2)");
  fs::path out = dir_->path() / "damaged.orig";
  RunResult r = sohoa({"export", "2", "--original", out.string(), "--db", postgres_->arg()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("does not hash"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(CentralStoreE2E, AUrlWithNoSohoaDatabaseExits2NamingIt) {
  RunResult r = sohoa({"list", "--db", "postgresql://sohoa:pw-secret@127.0.0.1:1/central"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("127.0.0.1:1/central"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("pw-secret"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("units import"), std::string::npos) << r.err;
}

}  // namespace
