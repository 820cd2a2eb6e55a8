// Hot folder: a scan written slowly in pieces is read only once whole; a bad
// file goes to failed/ with its reason; SIGTERM stops the watch with exit 0.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
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

fs::path units_csv() { return sohoa::testing::units_csv_path(); }

pid_t spawn(std::vector<std::string> argv, const fs::path& out, const fs::path& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

bool wait_for_file(const fs::path& path, std::chrono::seconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (fs::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

int exit_code_of(pid_t pid, std::chrono::seconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

// Writes `bytes` to `path` in `pieces` parts with a pause after each, as a
// slow scanner or a network share would.
void write_slowly(const fs::path& path, const std::string& bytes, int pieces,
                  std::chrono::milliseconds pause) {
  std::ofstream out(path, std::ios::binary);
  size_t step = bytes.size() / static_cast<size_t>(pieces) + 1;
  for (size_t at = 0; at < bytes.size(); at += step) {
    out.write(bytes.data() + at, static_cast<std::streamsize>(std::min(step, bytes.size() - at)));
    out.flush();
    std::this_thread::sleep_for(pause);
  }
}

TEST(StationsWatch, SlowlyWrittenScanIsReadWholeAndBadFilesGoToFailed) {
  TempDir dir;
  std::string db = (dir / "station.db").string();
  ASSERT_EQ(run({sohoa::testing::sohoa_bin(), "units", "import", units_csv().string(), "--db", db})
                .exit_code,
            0);
  RunResult gen = run({sohoa::testing::samples_bin(), "--out", (dir / "gen").string(), "--count",
                       "1", "--seed", "31", "--profile", "clean", "--format", "png", "--pages", "1",
                       "--prefix", "scan", "--units", units_csv().string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::string scan = read_file(dir / "gen" / "scan-0001.png");
  fs::path hot = dir / "hot";
  fs::create_directories(hot);

  pid_t watch = spawn({sohoa::testing::sohoa_bin(), "watch", hot.string(), "--unit", "tay-hoa",
                       "--settle", "1", "--jobs", "2", "--station", "hoa-dong-1", "--db", db},
                      dir / "out", dir / "err");
  // Pauses shorter than the settle time: the file must wait until whole.
  write_slowly(hot / "quyết định 1.png", scan, 6, std::chrono::milliseconds(600));
  sohoa::testing::write_file(hot / "broken.png", scan.substr(0, scan.size() / 3));

  ASSERT_TRUE(wait_for_file(hot / "done" / "quyết định 1.png", std::chrono::seconds(300)))
      << read_file(dir / "err");
  ASSERT_TRUE(wait_for_file(hot / "failed" / "broken.png.error.txt", std::chrono::seconds(60)));
  EXPECT_TRUE(fs::exists(hot / "failed" / "broken.png"));
  EXPECT_FALSE(read_file(hot / "failed" / "broken.png.error.txt").empty());
  EXPECT_FALSE(fs::exists(hot / "quyết định 1.png"));
  EXPECT_FALSE(fs::exists(hot / "broken.png"));

  ::kill(watch, SIGTERM);
  EXPECT_EQ(exit_code_of(watch, std::chrono::seconds(60)), 0) << read_file(dir / "err");

  // Stored once, whole: the record is the full file's hash, read as a page.
  RunResult show = run({sohoa::testing::sohoa_bin(), "show",
                        sohoa::storage::sha256_of_file(hot / "done" / "quyết định 1.png"), "--json",
                        "--db", db});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  json doc = json::parse(show.out);
  EXPECT_NE(doc["status"], "failed") << doc["error"];
  EXPECT_EQ(doc["station"], "hoa-dong-1");
  ASSERT_EQ(doc["pages"].size(), 1u);
  EXPECT_EQ(doc["pages"][0]["width"], 2480);
  std::string out = read_file(dir / "out");
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;
}

TEST(StationsWatch, RefusesAnUnknownSplitMode) {
  // separator and auto work (tests/split_ingest_test.cpp); other modes are bad usage.
  TempDir dir;
  RunResult r = run({sohoa::testing::sohoa_bin(), "watch", dir.path().string(), "--unit", "tay-hoa",
                     "--split", "pages", "--db", (dir / "x.db").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--split"), std::string::npos) << r.err;
}

}  // namespace
