// ingest --split end to end on generated stacks: cut exactly where the truth
// says, separator sheets never stored, SPEC identity of parts, a second
// ingest reports every part duplicate, a killed run resumes without
// duplicates, and watch --split on a stack dropped into the hot folder.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "storage/file_hash.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> lines;
  for (const auto& l : sohoa::testing::lines_of(out)) lines.push_back(json::parse(l));
  return lines;
}

pid_t spawn(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  return sohoa::testing::spawn_to_files(argv, out, err);
}

template <typename Pred>
bool wait_until(Pred pred, std::chrono::seconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

int wait_exit(pid_t pid, std::chrono::seconds limit) {
  int code = -1;
  wait_until(
      [&] {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) != pid) return false;
        code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return true;
      },
      limit);
  if (code == -1) {
    ::kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  return code;
}

// Two generated stacks, shared by the cases: one with separator sheets
// (some turned, the sheet as `sohoa separator` prints it), one without.
class SplitIngest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    for (auto [name, seps, seed] : {std::tuple{"sep", "yes", "7"}, std::tuple{"auto", "no", "8"}}) {
      RunResult gen = run({sohoa::testing::samples_bin(), "--out", (dir_->path() / name).string(),
                           "--stacks", "1", "--stack-docs", "4", "--separators", seps, "--seed",
                           seed, "--profile", "clean", "--prefix", name});
      ASSERT_EQ(gen.exit_code, 0) << gen.err;
    }
  }
  static void TearDownTestSuite() { delete dir_; }

  static fs::path stack(const std::string& name) {
    return dir_->path() / name / (name + "-0001.tif");
  }
  static json truth(const std::string& name) {
    return json::parse(read_file(dir_->path() / name / (name + "-0001.truth.json")));
  }

  void SetUp() override {
    db_ = (tmp_ / "s.db").string();
    sohoa::testing::create_database(db_);
  }

  RunResult ingest(const std::vector<std::string>& paths, const std::string& mode) {
    std::vector<std::string> argv = {sohoa::testing::sohoa_bin(), "ingest"};
    argv.insert(argv.end(), paths.begin(), paths.end());
    for (std::string a : {"--unit", "tay-hoa", "--db", db_.c_str(), "--jobs", "2", "--split",
                          mode.c_str(), "--json"})
      argv.push_back(a);
    return run(argv);
  }

  json show(int64_t id) {
    RunResult r =
        run({sohoa::testing::sohoa_bin(), "show", std::to_string(id), "--json", "--db", db_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }

  // Each line is one true document, in page order, with the SPEC identity.
  void expect_exact_parts(const std::vector<json>& lines, const fs::path& file, const json& t,
                          const std::string& status) {
    ASSERT_EQ(lines.size(), t["documents"].size());
    std::string sha = sohoa::storage::sha256_of_file(file);
    std::set<int> separators(t["separators"].begin(), t["separators"].end());
    for (size_t i = 0; i < lines.size(); ++i) {
      int first = t["documents"][i]["first"], last = t["documents"][i]["last"];
      std::string range = "#";  // appended: GCC 12 -O3 warns falsely on "#" + (PR 105651)
      range += std::to_string(first) + "-" + std::to_string(last);
      EXPECT_EQ(lines[i]["source"], file.string() + range);
      EXPECT_EQ(lines[i]["status"], status) << lines[i].dump();
      EXPECT_EQ(lines[i]["pages"], last - first + 1);
      json doc = show(lines[i]["id"].get<int64_t>());
      EXPECT_EQ(doc["sha256"], sha + range);
      EXPECT_EQ(doc["source"], file.string() + range);
      ASSERT_EQ(doc["pages"].size(), static_cast<size_t>(last - first + 1));
      for (size_t p = 0; p < doc["pages"].size(); ++p) {
        int number = doc["pages"][p]["page"];
        EXPECT_EQ(number, first + static_cast<int>(p));
        EXPECT_EQ(separators.count(number), 0u);
        for (const auto& code : doc["pages"][p]["codes"]) EXPECT_NE(code, "SOHOA-SEPARATOR");
      }
      // The part's metadata is its own document's.
      EXPECT_EQ(doc["metadata"]["doc_number"], t["documents"][i]["metadata"]["doc_number"]);
    }
  }

  static TempDir* dir_;
  TempDir tmp_;
  std::string db_;
};

TempDir* SplitIngest::dir_ = nullptr;

TEST_F(SplitIngest, SeparatorStackSplitExactlyThenDuplicate) {
  json t = truth("sep");
  ASSERT_EQ(t["documents"].size(), 4u);
  ASSERT_EQ(t["separators"].size(), 3u);
  RunResult first = ingest({stack("sep").string()}, "separator");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  expect_exact_parts(json_lines(first.out), stack("sep"), t, "ok");

  RunResult again = ingest({stack("sep").string()}, "separator");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::vector<json> a = json_lines(again.out), f = json_lines(first.out);
  ASSERT_EQ(a.size(), f.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["status"], "duplicate");
    EXPECT_EQ(a[i]["id"], f[i]["id"]);
    EXPECT_EQ(a[i]["source"], f[i]["source"]);
  }
}

TEST_F(SplitIngest, AutoCutsAtOpeningPages) {
  json t = truth("auto");
  ASSERT_TRUE(t["separators"].empty());
  RunResult r = ingest({stack("auto").string()}, "auto");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_exact_parts(json_lines(r.out), stack("auto"), t, "ok");
  // Auto also honours separator sheets.
  RunResult s = ingest({stack("sep").string()}, "auto");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  expect_exact_parts(json_lines(s.out), stack("sep"), truth("sep"), "ok");
}

TEST_F(SplitIngest, KilledRunResumesWithoutDuplicates) {
  // Two stacks, one page worker: kill once the first stack's parts are out.
  fs::path out = tmp_ / "out.txt", err = tmp_ / "err.txt";
  pid_t pid =
      spawn({sohoa::testing::sohoa_bin(), "ingest", stack("sep").string(), stack("auto").string(),
             "--unit", "tay-hoa", "--db", db_, "--jobs", "1", "--split", "auto", "--json"},
            out, err);
  ASSERT_TRUE(wait_until([&] { return json_lines(read_file(out)).size() >= 4; },
                         std::chrono::seconds(600)));
  ::kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  std::vector<json> before = json_lines(read_file(out));
  ASSERT_LT(before.size(), 8u) << "the run finished before the kill";

  RunResult rerun = ingest({stack("sep").string(), stack("auto").string()}, "auto");
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  std::vector<json> after = json_lines(rerun.out);
  ASSERT_EQ(after.size(), 8u);
  std::set<int64_t> ids;
  for (size_t i = 0; i < after.size(); ++i) {
    ids.insert(after[i]["id"].get<int64_t>());
    bool reported = i < before.size();
    EXPECT_EQ(after[i]["status"], reported ? "duplicate" : "ok") << after[i].dump();
    if (reported) {
      EXPECT_EQ(after[i]["id"], before[i]["id"]);
    }
  }
  EXPECT_EQ(ids.size(), 8u);
  // Nothing beyond the eight parts was stored.
  RunResult ninth = run({sohoa::testing::sohoa_bin(), "show", "9", "--json", "--db", db_});
  EXPECT_NE(ninth.exit_code, 0);
}

TEST_F(SplitIngest, WatchSplitsAStackDroppedIn) {
  fs::path hot = tmp_ / "hot";
  fs::create_directories(hot);
  fs::path out = tmp_ / "watch.out", err = tmp_ / "watch.err";
  pid_t pid = spawn({sohoa::testing::sohoa_bin(), "watch", hot.string(), "--unit", "tay-hoa",
                     "--db", db_, "--jobs", "2", "--settle", "0.5", "--split", "separator"},
                    out, err);
  fs::copy_file(stack("sep"), hot / ".sep.tif.part");
  fs::rename(hot / ".sep.tif.part", hot / "sep.tif");
  bool moved =
      wait_until([&] { return fs::exists(hot / "done" / "sep.tif"); }, std::chrono::seconds(600));
  ::kill(pid, SIGTERM);
  EXPECT_EQ(wait_exit(pid, std::chrono::seconds(120)), 0) << read_file(err);
  ASSERT_TRUE(moved) << read_file(err);
  // The four documents, and a second look finds them all stored.
  RunResult again = ingest({(hot / "done" / "sep.tif").string()}, "separator");
  std::vector<json> lines = json_lines(again.out);
  ASSERT_EQ(lines.size(), 4u);
  json t = truth("sep");
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i]["status"], "duplicate");
    int first = t["documents"][i]["first"], last = t["documents"][i]["last"];
    EXPECT_EQ(lines[i]["pages"], last - first + 1);
  }
}

}  // namespace
