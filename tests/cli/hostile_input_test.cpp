// Hostile inputs through the real program (issue 19): names that are not
// UTF-8 or hold a newline, DOC arguments that look like ids, queries that
// begin with '-' or run to 16 KB, folders and files the user cannot read.
// Every file is made at test time (a disk that fills up: disk_full_test).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <vips/vips8>

#include "storage/database.h"
#include "storage/file_hash.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::testing::json_lines;
using sohoa::testing::lines_of;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;
using sohoa::testing::write_file;

const std::string kFffd = "\xEF\xBF\xBD";

fs::path generate_scan(const fs::path& dir, unsigned seed) {
  return sohoa::testing::generate_scans(dir, {.seed = seed}).front();
}

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_ / "sohoa.db").string();
    sohoa::testing::create_database(db_);
  }

  RunResult sohoa(std::vector<std::string> args, const std::vector<std::string>& prefix = {}) {
    args.insert(args.begin(), sohoa::testing::sohoa_bin());
    args.insert(args.begin(), prefix.begin(), prefix.end());
    args.push_back("--db");
    args.push_back(db_);
    return run(args);
  }

  // Runs as the user nobody: the tests run as root, who reads everything,
  // so a permission can only be refused to another user.
  RunResult as_nobody(std::vector<std::string> args) {
    return sohoa(std::move(args),
                 {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"});
  }

  // Lets nobody into the test folder and write the database.
  void open_to_nobody() {
    for (const auto& e : fs::recursive_directory_iterator(dir_.path())) {
      fs::permissions(e.path(), fs::perms::all, fs::perm_options::add);
    }
    fs::permissions(dir_.path(), fs::perms::all, fs::perm_options::add);
  }

  TempDir dir_;
  std::string db_;
};

// A name that is not UTF-8 used to stop the batch (exit 2, later files never
// ingested, show --json of it exit 2). SPEC: printed with U+FFFD, stored as is.
TEST_F(Hostile, NameThatIsNotUtf8IsPrintedWithReplacementAndTheBatchGoesOn) {
  fs::path in = dir_ / "in";
  fs::path scan = generate_scan(dir_ / "gen", 11);
  fs::create_directories(in);
  fs::copy_file(scan, in / "a-H\xF2"
                           "a \xD0\xF4\xCC"
                           "ng.png");  // Windows-1258 bytes
  // A PNG cut after its signature: a scan by its content, so read, and failed
  // (an empty file in a folder would only be skipped).
  write_file(in / "b-empty.png", std::string("\x89PNG\r\n\x1a\n", 8));
  RunResult r = sohoa({"ingest", in.string(), "--unit", "hoa-dong", "--json"});
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  std::vector<json> rows = json_lines(r.out);
  ASSERT_EQ(rows.size(), 2u) << r.out;
  // Outcomes come as files finish: the empty one first.
  if (rows[0]["status"] == "failed") std::swap(rows[0], rows[1]);
  std::string source = rows[0]["source"];
  EXPECT_EQ(source, (in / ("a-H" + kFffd + "a " + kFffd + kFffd + kFffd + "ng.png")).string());
  EXPECT_EQ(rows[0]["status"], "ok");
  EXPECT_EQ(rows[1]["status"], "failed");
  EXPECT_EQ(rows[1]["source"], (in / "b-empty.png").string());
  int id = rows[0]["id"];

  RunResult show = sohoa({"show", std::to_string(id), "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(json::parse(show.out)["source"], source);
  RunResult text = sohoa({"show", std::to_string(id)});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("a-H" + kFffd + "a"), std::string::npos) << text.out;
  RunResult queue = sohoa({"review", "--queue", "--json"});
  ASSERT_EQ(queue.exit_code, 0) << queue.err;
  for (const json& row : json_lines(queue.out)) EXPECT_TRUE(row["source"].is_string());
  // `list` (added after the audit) follows the same rule, text and JSON.
  RunResult list = sohoa({"list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  bool listed = false;
  for (const json& row : json_lines(list.out)) listed = listed || row["source"] == source;
  EXPECT_TRUE(listed) << list.out;
  RunResult list_text = sohoa({"list"});
  ASSERT_EQ(list_text.exit_code, 0) << list_text.err;
  EXPECT_NE(list_text.out.find("a-H" + kFffd + "a"), std::string::npos) << list_text.out;

  RunResult again = sohoa({"ingest", in.string(), "--unit", "hoa-dong", "--json"});
  EXPECT_EQ(again.exit_code, 3) << again.err;
  int duplicates = 0;
  for (const json& row : json_lines(again.out)) duplicates += row["status"] == "duplicate";
  EXPECT_EQ(duplicates, 1);
}

// One line per problem: a newline in a file name must not split it.
TEST_F(Hostile, NewlineInANameStaysOnOneErrorLine) {
  fs::path in = dir_ / "in";
  fs::create_directories(in);
  write_file(in / "two\nlines.png", "");
  RunResult r = sohoa({"ingest", (in / "two\nlines.png").string(), "--unit", "hoa-dong"});
  EXPECT_EQ(r.exit_code, 3);
  ASSERT_EQ(lines_of(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find("two\\nlines.png: empty file"), std::string::npos) << r.err;
  // stdout: one line for the file and one summary.
  EXPECT_EQ(lines_of(r.out).size(), 2u) << r.out;
}

// SPEC DOC rule: an all-digit DOC is an id only. It used to write a
// correction to the document whose SHA-256 began with those digits.
TEST_F(Hostile, AllDigitDocIsAnIdOnlyAndShortPrefixesAreRefused) {
  fs::path in = dir_ / "in";
  fs::create_directories(in);
  write_file(in / "empty.png", std::string("\x89PNG\r\n\x1a\n", 8));  // recorded failed: id 1
  ASSERT_EQ(sohoa({"ingest", in.string(), "--unit", "hoa-dong"}).exit_code, 3);
  RunResult shown = sohoa({"show", "1", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  std::string sha = json::parse(shown.out)["sha256"];

  for (const std::string& ref : {std::string("0"), std::string("17"), sha.substr(0, 7),
                                 sha.substr(0, 1), std::string("sha256:") + sha.substr(0, 4)}) {
    RunResult r = sohoa({"review", ref, "--set", "doc_number=X"});
    EXPECT_EQ(r.exit_code, 1) << ref << ": " << r.out;
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_EQ(sohoa({"show", ref}).exit_code, 1) << ref;
  }
  EXPECT_EQ(sohoa({"show", sha.substr(0, 8)}).exit_code, 0);
  EXPECT_EQ(sohoa({"show", "sha256:" + sha.substr(0, 8)}).exit_code, 0);
  RunResult none = sohoa({"show", "17"});
  EXPECT_EQ(none.err, "sohoa: no document matches '17': no document has that id\n");
  // Nothing was corrected.
  EXPECT_TRUE(json::parse(sohoa({"show", "1", "--json"}).out)["metadata"]["doc_number"].is_null());
}

// "-hoa" is a query (excluding "hoa"), not -h -o -a; a 16 KB query is
// refused at once instead of searching for minutes.
TEST_F(Hostile, QueriesThatLookLikeOptionsOrRunOnAreAnsweredAsQueries) {
  RunResult dash = sohoa({"search", "-hoa"});
  EXPECT_EQ(dash.exit_code, 1);
  EXPECT_EQ(dash.out, "");
  EXPECT_EQ(dash.err, "sohoa: search query has only exclusions (-word); add a word to look for\n");
  RunResult with_json = sohoa({"search", "--json", "-hoa"});
  EXPECT_EQ(with_json.exit_code, 1);
  EXPECT_EQ(with_json.err, dash.err);
  EXPECT_EQ(sohoa({"search", "dong", "--json"}).exit_code, 0);

  std::string huge;
  while (huge.size() < 16 * 1024) huge += "quyet dinh ";
  RunResult big = sohoa({"search", huge});
  EXPECT_EQ(big.exit_code, 1);
  EXPECT_EQ(big.err, "sohoa: search query too long: " + std::to_string(huge.size()) +
                         " bytes, at most 1024\n");
  std::string many;
  for (int i = 0; i < 40; ++i) many += "w" + std::to_string(i) + " ";
  RunResult words = sohoa({"search", many});
  EXPECT_EQ(words.exit_code, 1);
  EXPECT_EQ(words.err, "sohoa: search query too long: at most 32 words\n");
}

// An unreadable subfolder used to be skipped silently (exit 0, "0 stored").
TEST_F(Hostile, UnreadableSubfolderIsReportedAndItsSiblingsIngested) {
  fs::path in = dir_ / "in";
  fs::create_directories(in / "locked");
  fs::create_directories(in / "open");
  write_file(in / "locked" / "scan.png", "x");
  write_file(in / "open" / "empty.png", std::string("\x89PNG\r\n\x1a\n", 8));
  open_to_nobody();
  fs::permissions(in / "locked", fs::perms::none);
  RunResult r = as_nobody({"ingest", in.string(), "--unit", "hoa-dong", "--json"});
  fs::permissions(in / "locked", fs::perms::all);
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  std::vector<json> rows = json_lines(r.out);
  ASSERT_EQ(rows.size(), 2u) << r.out;
  EXPECT_EQ(rows[0]["source"], (in / "locked").string());
  EXPECT_EQ(rows[0]["status"], "failed");
  EXPECT_EQ(rows[0]["error"], "cannot list folder: Permission denied");
  EXPECT_EQ(rows[1]["source"], (in / "open" / "empty.png").string());
  EXPECT_NE(r.err.find((in / "locked").string() + ": cannot list folder"), std::string::npos);
}

// A file the user may not read is recorded failed, so review --queue shows
// it, and once readable the next ingest stores it under the same id.
TEST_F(Hostile, UnreadableFileIsRecordedAndLaterStoredUnderTheSameId) {
  fs::path in = dir_ / "in";
  fs::create_directories(in);
  fs::path scan = generate_scan(dir_ / "gen", 12);
  fs::copy_file(scan, in / "secret.png");
  open_to_nobody();
  fs::permissions(in / "secret.png", fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  RunResult r = as_nobody({"ingest", in.string(), "--unit", "hoa-dong", "--json"});
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  std::vector<json> rows = json_lines(r.out);
  ASSERT_EQ(rows.size(), 1u) << r.out;
  EXPECT_EQ(rows[0]["status"], "failed");
  EXPECT_EQ(rows[0]["error"], "cannot read file: Permission denied");
  ASSERT_TRUE(rows[0]["id"].is_number_integer()) << rows[0];
  int id = rows[0]["id"];
  RunResult queue = sohoa({"review", "--queue", "--json"});
  std::vector<json> items = json_lines(queue.out);
  ASSERT_EQ(items.size(), 1u) << queue.out;
  EXPECT_EQ(items[0]["id"], id);

  fs::permissions(in / "secret.png", fs::perms::all, fs::perm_options::add);
  RunResult again = sohoa({"ingest", in.string(), "--unit", "hoa-dong", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  json stored = json_lines(again.out).at(0);
  EXPECT_EQ(stored["status"], "ok");
  EXPECT_EQ(stored["id"], id);
  RunResult shown = sohoa({"show", std::to_string(id), "--json"});
  EXPECT_NE(json::parse(shown.out)["status"], "failed");
}

// Issue 19.3: a file written to while it was being ingested was archived
// with the new bytes under the old SHA-256 and stored `ok`; `export
// --original` then refused forever. Bytes are appended as soon as ingest has
// hashed the file (its first close, seen by inotify) and while its page is
// read: the file is failed with that reason and nothing is archived under
// the old hash; the next ingest stores the finished file, whole.
TEST_F(Hostile, FileWrittenToWhileIngestedIsFailedAndTheRerunStoresItWhole) {
  fs::path scan = dir_ / "in" / "growing.png";
  fs::create_directories(scan.parent_path());
  fs::copy_file(generate_scan(dir_ / "gen", 13), scan);
  const std::string old_sha = sohoa::storage::sha256_of_file(scan);
  int fd = inotify_init1(IN_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_GE(inotify_add_watch(fd, scan.c_str(), IN_CLOSE_NOWRITE), 0);
  RunResult r;
  std::thread ingest([&] {
    r = sohoa({"ingest", scan.string(), "--unit", "hoa-dong", "--json", "--jobs", "1"});
  });
  pollfd p = {fd, POLLIN, 0};
  bool hashed = poll(&p, 1, 60000) > 0;
  if (hashed) std::ofstream(scan, std::ios::app | std::ios::binary) << "appended by the scanner";
  ingest.join();
  close(fd);
  ASSERT_TRUE(hashed) << r.err;
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  json row = json_lines(r.out).at(0);
  EXPECT_EQ(row["status"], "failed") << row;
  EXPECT_NE(row["error"].get<std::string>().find("file changed while it was being ingested"),
            std::string::npos)
      << row;
  EXPECT_FALSE(sohoa::storage::Archive::beside(db_).contains(old_sha));

  RunResult again = sohoa({"ingest", scan.string(), "--unit", "hoa-dong", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  json stored = json_lines(again.out).at(0);
  EXPECT_EQ(stored["status"], "ok");
  fs::path original = dir_ / "original.png";
  RunResult exported =
      sohoa({"export", std::to_string(stored["id"].get<int>()), "--original", original.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(read_file(original), read_file(scan));
}

}  // namespace
