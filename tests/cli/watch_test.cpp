// Hot folder: a scan written slowly in pieces is read only once whole; a bad
// file goes to failed/ with its reason; SIGTERM stops the watch with exit 0;
// `--json` lines (SPEC shape); Ctrl+C typed at a terminal while a file is in
// hand is acknowledged at once and the file is still stored whole.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "storage/file_hash.h"
#include "tests/support/pty_process.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;

pid_t spawn(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  return sohoa::testing::spawn_to_files(argv, out, err);
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
  sohoa::testing::create_database(db);
  std::string scan = read_file(
      sohoa::testing::generate_scans(dir / "gen", {.seed = 31, .prefix = "scan"}).front());
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

fs::path sample(const std::string& name) {
  return sohoa::testing::source_dir() / "samples" / "scans" / name;
}

std::string station_db(const TempDir& dir) {
  std::string db = (dir / "station.db").string();
  sohoa::testing::create_database(db);
  return db;
}

// Puts `from` into `folder` as `name` in one step (written beside, then
// renamed), as a scanner that writes a temporary name does.
fs::path drop_into(const fs::path& folder, const std::string& name, const std::string& bytes) {
  fs::path staging = folder.parent_path() / (".staging-" + name);
  sohoa::testing::write_file(staging, bytes);
  fs::rename(staging, folder / name);
  return folder / name;
}

// issue 18.12: `watch --json` prints one line per file filed away:
// {"at","source","status","id","pages","error"} in that order, `at` the local
// time; a scan is ok with its id, a truncated scan failed and recorded (an
// id), a Word file skipped and unrecorded (id null).
TEST(StationsWatch, JsonLinesSayWhatBecameOfEachFile) {
  TempDir dir;
  std::string db = station_db(dir);
  fs::path hot = dir / "hot";
  fs::create_directories(hot);
  std::string scan = read_file(sample("doc-0003.jpg"));
  drop_into(hot, "doc-0003.jpg", scan);
  drop_into(hot, "cut.jpg", scan.substr(0, 4000));
  drop_into(hot, "QuyetDinh.docx", "PK\x03\x04 a word file");

  pid_t watch = spawn({sohoa::testing::sohoa_bin(), "watch", hot.string(), "--unit", "hoa-dong",
                       "--settle", "1", "--jobs", "2", "--json", "--db", db},
                      dir / "out", dir / "err");
  bool filed = wait_for_file(hot / "done" / "doc-0003.jpg", std::chrono::seconds(300)) &&
               wait_for_file(hot / "failed" / "cut.jpg.error.txt", std::chrono::seconds(60)) &&
               wait_for_file(hot / "failed" / "QuyetDinh.docx.error.txt", std::chrono::seconds(60));
  ::kill(watch, SIGTERM);
  EXPECT_EQ(exit_code_of(watch, std::chrono::seconds(60)), 0) << read_file(dir / "err");
  ASSERT_TRUE(filed) << read_file(dir / "err");

  std::map<std::string, json> by_name;
  for (const auto& line : sohoa::testing::lines_of(read_file(dir / "out"))) {
    // Every line is one JSON object, its keys in the documented order.
    nlohmann::ordered_json row = nlohmann::ordered_json::parse(line);
    std::vector<std::string> keys;
    for (auto it = row.begin(); it != row.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"at", "source", "status", "id", "pages", "error"}))
        << line;
    EXPECT_TRUE(std::regex_match(row["at"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")))
        << line;
    by_name[fs::path(row["source"].get<std::string>()).filename().string()] = json(row);
  }
  ASSERT_EQ(by_name.size(), 3u) << read_file(dir / "out");
  const json& ok = by_name["doc-0003.jpg"];
  EXPECT_EQ(ok["status"], "ok");
  EXPECT_TRUE(ok["id"].is_number_integer());
  EXPECT_EQ(ok["pages"], 1);
  EXPECT_TRUE(ok["error"].is_null());
  const json& cut = by_name["cut.jpg"];
  EXPECT_EQ(cut["status"], "failed");
  EXPECT_TRUE(cut["id"].is_number_integer()) << cut;  // recorded: the next ingest tries again
  EXPECT_TRUE(cut["error"].is_string());
  const json& word = by_name["QuyetDinh.docx"];
  EXPECT_EQ(word["status"], "skipped");
  EXPECT_TRUE(word["id"].is_null());
  EXPECT_NE(word["error"].get<std::string>().find("not an image or PDF"), std::string::npos);

  // What the lines say is what the database holds.
  RunResult show = run({sohoa::testing::sohoa_bin(), "show", std::to_string(ok["id"].get<int>()),
                        "--json", "--db", db});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(json::parse(show.out)["source"], ok["source"]);
  RunResult list = run({sohoa::testing::sohoa_bin(), "list", "--json", "--db", db});
  EXPECT_EQ(sohoa::testing::lines_of(list.out).size(), 2u) << list.out;  // not the Word file
}

// Blocks until some process opens `file` (inotify IN_OPEN) or `limit` passes.
bool wait_until_opened(const fs::path& file, std::chrono::seconds limit) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return false;
  bool opened = false;
  if (inotify_add_watch(fd, file.c_str(), IN_OPEN) >= 0) {
    pollfd p = {fd, POLLIN, 0};
    opened = poll(&p, 1, static_cast<int>(limit.count() * 1000)) > 0;
  }
  close(fd);
  return opened;
}

// issue 18.7: Ctrl+C typed at the terminal while a 3-page scan is being read
// says at once that the watch is stopping and finishes that file first: the
// message comes before the file's line, the watch exits 0, and the file is
// stored whole and filed under done/.
TEST(StationsWatch, CtrlCAtTheTerminalSaysSoAndFinishesTheFileInHand) {
  TempDir dir;
  std::string db = station_db(dir);
  fs::path hot = dir / "hot";
  fs::create_directories(hot);
  sohoa::testing::PtyProcess watch({sohoa::testing::sohoa_bin(), "watch", hot.string(), "--unit",
                                    "hoa-dong", "--settle", "1", "--jobs", "1", "--db", db});
  ASSERT_TRUE(watch.wait_for("stop with Ctrl+C", std::chrono::seconds(60))) << watch.screen();
  fs::path scan = drop_into(hot, "doc-0002.tif", read_file(sample("doc-0002.tif")));
  // The watch opens the file once it has settled (to check it is a scan),
  // then ingests it at once; three pages of OCR take seconds.
  ASSERT_TRUE(wait_until_opened(scan, std::chrono::seconds(60)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(fs::exists(scan)) << "read before Ctrl+C could be typed";
  watch.type("\x03");
  EXPECT_TRUE(
      watch.wait_for("sohoa: stopping: finishing the file in hand", std::chrono::seconds(10)))
      << watch.screen();
  EXPECT_EQ(watch.wait_exit(std::chrono::seconds(300)), 0) << watch.screen();

  const std::string& screen = watch.screen();
  size_t stopping = screen.find("sohoa: stopping: finishing the file in hand");
  size_t filed = screen.find("\tok\t");
  size_t stopped = screen.find(" stopped");
  ASSERT_NE(filed, std::string::npos) << screen;
  EXPECT_LT(stopping, filed) << screen;
  EXPECT_LT(filed, stopped) << screen;
  EXPECT_NE(screen.find("3 pages"), std::string::npos) << screen;
  EXPECT_TRUE(fs::exists(hot / "done" / "doc-0002.tif"));
  RunResult show =
      run({sohoa::testing::sohoa_bin(), "show",
           sohoa::storage::sha256_of_file(hot / "done" / "doc-0002.tif"), "--json", "--db", db});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(json::parse(show.out)["pages"].size(), 3u);
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
