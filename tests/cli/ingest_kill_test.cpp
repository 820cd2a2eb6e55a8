// Crash safety: an ingest killed (SIGKILL) at any moment and run again
// finishes the batch with every file stored exactly once; two ingests on one
// database at once both succeed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/support/test_support.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;

// A program running in the background, its stdout going to a file.
class Background {
 public:
  Background(std::vector<std::string> argv, const fs::path& out) : out_(out) {
    pid_ = sohoa::testing::spawn_to_files(argv, out, "/dev/null");
  }
  ~Background() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }

  // Complete lines printed, leaving out the truth files reported skipped.
  size_t lines() const {
    size_t n = 0;
    std::string out = read_file(out_);
    out.erase(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);  // whole lines only
    for (const auto& line : sohoa::testing::lines_of(out)) {
      if (line.find("\"status\":\"skipped\"") == std::string::npos) ++n;
    }
    return n;
  }
  // Waits until the program has printed `n` such lines or has ended.
  bool wait_for_lines(size_t n, std::chrono::seconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (lines() >= n) return true;
      int status = 0;
      if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return lines() >= n;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  void kill_now() { ::kill(pid_, SIGKILL); }
  int wait() {
    if (pid_ > 0) {
      int status = 0;
      waitpid(pid_, &status, 0);
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      pid_ = -1;
    }
    return exit_code_;
  }

 private:
  fs::path out_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

std::string query_text(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::vector<json> ndjson(const std::string& text) {
  std::vector<json> rows;
  for (const auto& line : sohoa::testing::lines_of(text)) {
    if (line.find("\"status\":\"skipped\"") != std::string::npos)
      continue;  // the truth files beside the scans
    rows.push_back(json::parse(line));
  }
  return rows;
}

class IngestCrash : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scans_ = new TempDir();
    // Eight documents, two of them two pages long (a multi-page TIFF).
    sohoa::testing::generate_scans(scans_->path() / "in", {.count = 6, .seed = 21});
    sohoa::testing::generate_scans(scans_->path() / "in",
                                   {.count = 2, .seed = 22, .pages = 2, .prefix = "multi"});
  }
  static void TearDownTestSuite() {
    delete scans_;
    scans_ = nullptr;
  }

  void SetUp() override {
    db_ = (dir_ / "sohoa.db").string();
    sohoa::testing::create_database(db_);
  }

  std::vector<std::string> ingest_argv() const {
    return {sohoa::testing::sohoa_bin(),
            "ingest",
            (scans_->path() / "in").string(),
            "--unit",
            "tay-hoa",
            "--jobs",
            "2",
            "--json",
            "--db",
            db_};
  }

  static size_t scan_count() {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(scans_->path() / "in")) {
      n += !e.path().string().ends_with(".json");
    }
    return n;
  }

  static TempDir* scans_;
  TempDir dir_;
  std::string db_;
};

TempDir* IngestCrash::scans_ = nullptr;

TEST_F(IngestCrash, KilledTwiceThenRerunStoresEveryFileExactlyOnce) {
  const size_t files = scan_count();
  ASSERT_EQ(files, 8u);
  std::set<std::string> reported_before_kill;
  // Killed once just after its first document was stored, once mid-page.
  for (auto kill_after : {std::chrono::milliseconds(0), std::chrono::milliseconds(1500)}) {
    fs::path out = dir_ / "out.ndjson";
    {
      Background ingest(ingest_argv(), out);
      ASSERT_TRUE(
          ingest.wait_for_lines(reported_before_kill.size() + 1, std::chrono::seconds(300)));
      std::this_thread::sleep_for(kill_after);
      ingest.kill_now();
      EXPECT_EQ(ingest.wait(), 128 + SIGKILL);
    }
    for (const auto& row : ndjson(read_file(out))) {
      if (row["status"] == "ok") reported_before_kill.insert(row["source"].get<std::string>());
    }
  }
  ASSERT_FALSE(reported_before_kill.empty());
  ASSERT_LT(reported_before_kill.size(), files) << "the batch finished before it was killed";

  RunResult rerun = run(ingest_argv());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  auto rows = ndjson(rerun.out);
  ASSERT_EQ(rows.size(), files);
  for (const auto& row : rows) {
    std::string source = row["source"];
    // What was reported stored before a kill stays stored: never read again.
    EXPECT_EQ(row["status"], reported_before_kill.count(source) ? "duplicate" : "ok") << row;
  }

  EXPECT_EQ(query_text(db_, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(query_text(db_, "SELECT count(*) FROM documents"), std::to_string(files));
  EXPECT_EQ(query_text(db_,
                       "SELECT count(DISTINCT sha256) FROM documents WHERE status = 'ok' "
                       "OR status = 'review'"),
            std::to_string(files));
  EXPECT_EQ(query_text(db_, "SELECT count(*) FROM pages"), "10");
  EXPECT_EQ(query_text(db_, "SELECT count(*) FROM search_folded_docsize"), std::to_string(files));
  // Every original archived under its hash, whole.
  size_t archived = 0;
  for (const auto& e : fs::recursive_directory_iterator(db_ + ".files")) {
    if (e.is_regular_file() && e.path().filename().string().size() == 64) ++archived;
  }
  EXPECT_EQ(archived, files);
}

TEST_F(IngestCrash, TwoIngestsOnOneDatabaseAtOnceBothSucceed) {
  const size_t files = scan_count();
  Background first(ingest_argv(), dir_ / "first.ndjson");
  Background second(ingest_argv(), dir_ / "second.ndjson");
  EXPECT_EQ(first.wait(), 0);
  EXPECT_EQ(second.wait(), 0);
  std::map<std::string, int> stored;
  for (const char* out : {"first.ndjson", "second.ndjson"}) {
    auto rows = ndjson(read_file(dir_ / out));
    EXPECT_EQ(rows.size(), files) << out;
    for (const auto& row : rows) {
      EXPECT_NE(row["status"], "failed") << row;
      if (row["status"] == "ok") ++stored[row["source"].get<std::string>()];
    }
  }
  EXPECT_EQ(query_text(db_, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(query_text(db_, "SELECT count(*) FROM documents"), std::to_string(files));
  // Each file was stored by exactly one of the two; the other saw a duplicate.
  EXPECT_EQ(stored.size(), files);
  for (const auto& [source, times] : stored) EXPECT_EQ(times, 1) << source;
}

}  // namespace
