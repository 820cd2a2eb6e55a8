// End to end, as a new user in an office meets sohoa (issue 18): mistyped
// database and input paths, deleting a wrong record, seeing and undoing
// corrections, help and usage errors, output on a terminal. Runs the real
// build/sohoa on the bundled sample scans.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "storage/database.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::testing::lines_of;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;
using sohoa::testing::write_file;

fs::path sample(const std::string& name) {
  return sohoa::testing::source_dir() / "samples" / "scans" / name;
}

std::vector<json> ndjson(const std::string& out) { return sohoa::testing::json_lines(out); }

// A database with the units, the register and two sample scans, ingested
// once for the suite (OCR is the slow part); each test starts from a copy.
class OfficeUx : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    base_ = new TempDir();
    fs::create_directories(base_->path() / "scans");
    for (const char* name : {"doc-0001.png", "doc-0007.png"}) {
      fs::copy_file(sample(name), base_->path() / "scans" / name);
    }
    std::string db = (base_->path() / "base.db").string();
    std::string bin = sohoa::testing::sohoa_bin();
    sohoa::testing::create_database(db, /*with_register=*/true);
    RunResult i = run({bin, "ingest", (base_->path() / "scans").string(), "--unit", "hoa-dong",
                       "--json", "--jobs", "2", "--db", db});
    ASSERT_EQ(i.exit_code, 0) << i.err;
    ASSERT_EQ(ndjson(i.out).size(), 2u) << i.out;
  }
  static void TearDownTestSuite() {
    delete base_;
    base_ = nullptr;
  }

  void SetUp() override {
    db_ = (dir_ / "sohoa.db").string();
    fs::copy_file(base_->path() / "base.db", db_);
    fs::copy(base_->path() / "base.db.files", db_ + ".files", fs::copy_options::recursive);
  }

  RunResult sohoa(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
    return sohoa::testing::sohoa_on(db_, std::move(args), env);
  }

  // The id of the stored document whose source ends with `name`.
  int64_t id_of(const std::string& name) {
    RunResult list = sohoa({"list", "--json"});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    for (const json& row : ndjson(list.out)) {
      if (row["source"].get<std::string>().ends_with(name)) return row["id"].get<int64_t>();
    }
    ADD_FAILURE() << name << " not listed:\n" << list.out;
    return 0;
  }

  static TempDir* base_;
  TempDir dir_;
  std::string db_;
};

TempDir* OfficeUx::base_ = nullptr;

// --- item 1: only `units import` creates a database ---

TEST(MissingDatabase, EveryCommandButUnitsImportRefusesAndCreatesNothing) {
  TempDir dir;
  std::string typo = (dir / "sohao.db").string();
  std::string bin = sohoa::testing::sohoa_bin();
  fs::create_directories(dir / "scans");
  fs::copy_file(sample("doc-0001.png"), dir / "scans" / "doc-0001.png");
  std::vector<std::vector<std::string>> commands = {
      {"search", "x"},
      {"progress"},
      {"units", "list"},
      {"list"},
      {"show", "1"},
      {"review", "--queue"},
      {"delete", "1", "--reason", "typo"},
      {"ingest", (dir / "scans").string(), "--unit", "hoa-dong"},
      {"register", "import", (sohoa::testing::source_dir() / "samples" / "register.csv").string()},
  };
  for (auto args : commands) {
    args.insert(args.begin(), bin);
    args.push_back("--db");
    args.push_back(typo);
    RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args[1] << ": " << r.err;
    EXPECT_NE(r.err.find("sohoa: " + typo + ": no such database"), std::string::npos)
        << args[1] << ": " << r.err;
    EXPECT_NE(r.err.find("sohoa units import"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << args[1];
    EXPECT_FALSE(fs::exists(typo)) << args[1] << " created " << typo;
    EXPECT_FALSE(fs::exists(typo + ".files")) << args[1];
  }
  // The same through $SOHOA_DB, the way a wrong environment looks like 0%.
  RunResult env = run({bin, "progress"}, {"SOHOA_DB=" + typo});
  EXPECT_EQ(env.exit_code, 2) << env.err;
  EXPECT_FALSE(fs::exists(typo));

  // A file that is there but no sohoa database (an empty file left by an
  // older version, a text file) is named as such and left alone.
  write_file(typo, "");
  RunResult empty = run({bin, "search", "x", "--db", typo});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("is not a sohoa database"), std::string::npos) << empty.err;
  EXPECT_EQ(fs::file_size(typo), 0u);

  // units import creates it; then the others work on it.
  RunResult created =
      run({bin, "units", "import", sohoa::testing::units_csv_path().string(), "--db", typo});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  RunResult list = run({bin, "list", "--db", typo});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  // separator needs no database at all.
  RunResult sheet = run({bin, "separator", "--out", (dir / "sheet.pdf").string(), "--db",
                         (dir / "none.db").string()});
  EXPECT_EQ(sheet.exit_code, 0) << sheet.err;
  EXPECT_FALSE(fs::exists(dir / "none.db"));
}

TEST(MissingDatabase, MergeRefusesAStationPathWithNoDatabase) {
  TempDir dir;
  std::string bin = sohoa::testing::sohoa_bin();
  std::string db = (dir / "district.db").string();
  ASSERT_EQ(run({bin, "units", "import", sohoa::testing::units_csv_path().string(), "--db", db})
                .exit_code,
            0);
  RunResult r = run({bin, "merge", (dir / "station-typo.db").string(), "--db", db});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("station-typo.db: no sohoa database"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "station-typo.db"));
}

// --- item 6: a mistyped input path; empty folders ---

TEST_F(OfficeUx, AMissingInputPathIsBadUsageAndNothingChanges) {
  fs::create_directories(dir_ / "new");
  fs::copy_file(sample("doc-0003.jpg"), dir_ / "new" / "doc-0003.jpg");
  RunResult r = sohoa({"ingest", (dir_ / "new").string(), (dir_ / "nonexist").string() + "/",
                       "--unit", "hoa-dong", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "sohoa: " + (dir_ / "nonexist").string() + "/: no such file or folder\n");
  // Nothing was read: the good folder beside it was not ingested either.
  RunResult list = sohoa({"list", "--json"});
  EXPECT_EQ(ndjson(list.out).size(), 2u) << list.out;
}

TEST_F(OfficeUx, AnEmptyFolderOrOneWithoutScansSaysSo) {
  fs::create_directories(dir_ / "empty");
  RunResult empty = sohoa({"ingest", (dir_ / "empty").string(), "--unit", "hoa-dong"});
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_NE(empty.err.find("sohoa: " + (dir_ / "empty").string() +
                           ": no scans in this folder (it holds no files)"),
            std::string::npos)
      << empty.err;

  fs::create_directories(dir_ / "office");
  write_file(dir_ / "office" / "QuyetDinh.docx", "PK\x03\x04 not really a scan");
  write_file(dir_ / "office" / "list.csv", "a,b\n1,2\n");
  write_file(dir_ / "office" / "lying.png", "this is text, not a PNG");
  RunResult office = sohoa({"ingest", (dir_ / "office").string(), "--unit", "hoa-dong", "--json"});
  EXPECT_EQ(office.exit_code, 0) << office.err;
  std::vector<json> rows = ndjson(office.out);
  ASSERT_EQ(rows.size(), 3u) << office.out;
  for (const json& row : rows) {
    EXPECT_EQ(row["status"], "skipped") << row;
    EXPECT_TRUE(row["id"].is_null()) << row;
    EXPECT_EQ(row["pages"], 0) << row;
    EXPECT_NE(row["error"].get<std::string>().find("not an image or PDF"), std::string::npos);
  }
  EXPECT_NE(office.err.find("no scans in this folder (3 files skipped: not an image or PDF)"),
            std::string::npos)
      << office.err;
  // Skipped files are not recorded: not listed, not in review.
  EXPECT_EQ(ndjson(sohoa({"list", "--json"}).out).size(), 2u);
  EXPECT_EQ(sohoa({"review", "--queue"}).out.find("QuyetDinh"), std::string::npos);
}

// --- item 2: delete ---

TEST_F(OfficeUx, DeleteTakesADocumentOutEverywhereAndKeepsATombstone) {
  // doc-0007 matches a register row (doc-0001's date is not read for sure,
  // so it matches none): deleting it must lower the digitized count.
  int64_t id = id_of("doc-0007.png");
  ASSERT_GT(id, 0);
  RunResult before = sohoa({"show", std::to_string(id), "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  json doc = json::parse(before.out);
  std::string sha = doc["sha256"];
  std::string number = doc["metadata"]["doc_number"];
  // The text view shows the citizen's number, not the stored JSON list.
  ASSERT_EQ(doc["metadata"]["citizen_ids"].size(), 1u);
  std::string cccd = doc["metadata"]["citizen_ids"][0];
  EXPECT_NE(sohoa({"show", std::to_string(id)}).out.find("  citizen_ids   " + cccd + "\n"),
            std::string::npos);
  RunResult found = sohoa({"search", number, "--json"});
  ASSERT_EQ(ndjson(found.out).size(), 1u) << found.out;
  RunResult progress_before = sohoa({"progress", "--format", "json"});
  ASSERT_EQ(progress_before.exit_code, 0);
  auto digitized = [](const std::string& out) {
    int64_t sum = 0;
    json parsed = json::parse(out);
    for (const json& row : parsed["rows"]) sum += row["digitized"].get<int64_t>();
    return sum;
  };
  int64_t digitized_before = digitized(progress_before.out);
  ASSERT_GT(digitized_before, 0) << progress_before.out;
  fs::path archived = fs::path(db_ + ".files") / sha.substr(0, 2) / sha;
  ASSERT_TRUE(fs::exists(archived));

  // No reason: refused, nothing changed.
  RunResult no_reason = sohoa({"delete", std::to_string(id), "--reason", " "});
  EXPECT_EQ(no_reason.exit_code, 1);
  EXPECT_EQ(sohoa({"show", std::to_string(id)}).exit_code, 0);

  RunResult del =
      sohoa({"delete", std::to_string(id), "--reason", "scanned upside down", "--by", "lan"});
  ASSERT_EQ(del.exit_code, 0) << del.err;
  EXPECT_NE(del.out.find("deleted " + std::to_string(id)), std::string::npos) << del.out;

  RunResult show_deleted = sohoa({"show", std::to_string(id)});
  EXPECT_EQ(show_deleted.exit_code, 1);
  EXPECT_NE(show_deleted.err.find("was deleted at 20"), std::string::npos) << show_deleted.err;
  EXPECT_NE(show_deleted.err.find(" by lan: scanned upside down"), std::string::npos);
  EXPECT_EQ(ndjson(sohoa({"search", number, "--json"}).out).size(), 0u);
  EXPECT_EQ(sohoa({"list"}).out.find("doc-0007.png"), std::string::npos);
  EXPECT_EQ(sohoa({"review", "--queue"}).out.find("doc-0007.png"), std::string::npos);
  EXPECT_EQ(digitized(sohoa({"progress", "--format", "json"}).out), digitized_before - 1);
  EXPECT_FALSE(fs::exists(archived));
  // Deleting it again: no such document, exit 1.
  EXPECT_EQ(sohoa({"delete", std::to_string(id), "--reason", "again"}).exit_code, 1);

  {
    auto store = sohoa::storage::Database::open(db_);
    std::vector<sohoa::storage::Deletion> tombs = store->deletions();
    ASSERT_EQ(tombs.size(), 1u);
    EXPECT_EQ(tombs[0].doc_id, id);
    EXPECT_EQ(tombs[0].sha256, sha);
    EXPECT_EQ(tombs[0].by, "lan");
    EXPECT_EQ(tombs[0].reason, "scanned upside down");
    EXPECT_EQ(tombs[0].at.size(), 24u) << tombs[0].at;  // 2026-12-01T17:03:04.123Z
    EXPECT_TRUE(tombs[0].source.ends_with("doc-0007.png"));
  }

  // The same bytes ingested later are stored again, under a new id.
  RunResult again =
      sohoa({"ingest", sample("doc-0007.png").string(), "--unit", "hoa-dong", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  json row = ndjson(again.out).at(0);
  EXPECT_EQ(row["status"], "ok") << row;
  EXPECT_GT(row["id"].get<int64_t>(), id);
  EXPECT_TRUE(fs::exists(archived));
  EXPECT_EQ(digitized(sohoa({"progress", "--format", "json"}).out), digitized_before);
}

TEST_F(OfficeUx, AFailedRecordOfANamedNonScanCanBeDeleted) {
  write_file(dir_ / "QuyetDinh.docx", "PK\x03\x04 a word file");
  RunResult r =
      sohoa({"ingest", (dir_ / "QuyetDinh.docx").string(), "--unit", "hoa-dong", "--json"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  json row = ndjson(r.out).at(0);
  EXPECT_EQ(row["status"], "failed");
  // No library type name in what a clerk reads.
  EXPECT_EQ(r.err.find("Vips"), std::string::npos) << r.err;
  int64_t id = row["id"].get<int64_t>();
  EXPECT_NE(sohoa({"review", "--queue"}).out.find("QuyetDinh.docx"), std::string::npos);
  RunResult del = sohoa({"delete", std::to_string(id), "--reason", "not a scan"});
  ASSERT_EQ(del.exit_code, 0) << del.err;
  EXPECT_EQ(sohoa({"review", "--queue"}).out.find("QuyetDinh.docx"), std::string::npos);
  EXPECT_EQ(sohoa({"list", "--status", "failed", "--json"}).out, "");
}

// --- item 8: corrections seen and undone ---

TEST_F(OfficeUx, CorrectionsAreShownWithWhoWhenAndPreviousAndCanBeUndone) {
  int64_t id = id_of("doc-0007.png");
  std::string ref = std::to_string(id);
  json read = json::parse(sohoa({"show", ref, "--json"}).out);
  ASSERT_TRUE(read["corrections"].is_array()) << read.dump();
  EXPECT_TRUE(read["corrections"].empty());
  ASSERT_TRUE(read["review_reasons"].is_array());
  json read_number = read["metadata"]["doc_number"];
  ASSERT_TRUE(read_number.is_string());

  ASSERT_EQ(sohoa({"review", ref, "--set", "doc_number=1/QĐ-UBND", "--by", "lan"}).exit_code, 0);
  ASSERT_EQ(sohoa({"review", ref, "--set", "doc_number=2/QĐ-UBND", "--by", "minh"}).exit_code, 0);
  json corrected = json::parse(sohoa({"show", ref, "--json"}).out);
  EXPECT_EQ(corrected["metadata"]["doc_number"], "2/QĐ-UBND");
  ASSERT_EQ(corrected["corrections"].size(), 2u) << corrected["corrections"];
  const json& first = corrected["corrections"][0];
  EXPECT_EQ(first["field"], "doc_number");
  EXPECT_EQ(first["value"], "1/QĐ-UBND");
  EXPECT_EQ(first["previous"], read_number);
  EXPECT_EQ(first["by"], "lan");
  EXPECT_TRUE(first["at"].get<std::string>().starts_with("20")) << first;
  EXPECT_EQ(corrected["corrections"][1]["previous"], "1/QĐ-UBND");
  EXPECT_EQ(corrected["corrections"][1]["by"], "minh");
  // SPEC's key order, as printed.
  nlohmann::ordered_json in_order =
      nlohmann::ordered_json::parse(sohoa({"show", ref, "--json"}).out);
  std::vector<std::string> keys;
  for (auto it = in_order["corrections"][0].begin(); it != in_order["corrections"][0].end(); ++it) {
    keys.push_back(it.key());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"field", "value", "previous", "by", "at"}));

  // The text view says the same.
  RunResult text = sohoa({"show", ref});
  EXPECT_NE(text.out.find("doc_number: 1/QĐ-UBND -> 2/QĐ-UBND (by minh"), std::string::npos)
      << text.out;

  // An empty --set blanks the field and says how to get the read value back.
  RunResult blank = sohoa({"review", ref, "--set", "subject=", "--by", "lan"});
  EXPECT_NE(blank.out.find("--undo subject"), std::string::npos) << blank.out;

  RunResult undo = sohoa({"review", ref, "--undo", "doc_number", "--by", "lan"});
  ASSERT_EQ(undo.exit_code, 0) << undo.err;
  json undone = json::parse(sohoa({"show", ref, "--json"}).out);
  EXPECT_EQ(undone["metadata"]["doc_number"], read_number);
  EXPECT_EQ(undone["metadata"]["subject"], nullptr);
  ASSERT_EQ(undone["corrections"].size(), 1u);
  EXPECT_EQ(undone["corrections"][0]["field"], "subject");
  // Searching finds the read number again, not the corrected one.
  EXPECT_EQ(ndjson(sohoa({"search", read_number.get<std::string>(), "--json"}).out).size(), 1u);
  EXPECT_EQ(ndjson(sohoa({"search", "\"2/QĐ-UBND\"", "--json"}).out).size(), 0u);

  // Nothing to undo, or not a field: exit 1, nothing changed.
  RunResult none = sohoa({"review", ref, "--undo", "doc_number"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no correction of doc_number"), std::string::npos) << none.err;
  RunResult typo = sohoa({"review", ref, "--undo", "doc_numbr"});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_NE(typo.err.find("did you mean doc_number?"), std::string::npos) << typo.err;
}

// --- item 5: help and usage errors ---

TEST(Help, MistypedCommandsAndBareSohoaGetHelpNotJargon) {
  std::string bin = sohoa::testing::sohoa_bin();
  RunResult typo = run({bin, "ingset", "scans/"});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_EQ(typo.err,
            "sohoa: 'ingset' is not a command (did you mean 'ingest'?); see sohoa --help\n");

  RunResult bare = run({bin});
  EXPECT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_NE(bare.out.find("ingest"), std::string::npos);
  EXPECT_NE(bare.out.find("Usage: sohoa"), std::string::npos) << bare.out;

  RunResult units = run({bin, "units"});
  EXPECT_EQ(units.exit_code, 1);
  EXPECT_NE(units.out.find("import"), std::string::npos) << units.out;

  for (const char* command : {"ingest", "watch", "show", "search", "progress", "review", "list",
                              "delete", "export", "units import"}) {
    std::vector<std::string> args = {bin};
    for (const auto& word :
         lines_of(std::string(command) == "units import" ? "units\nimport" : command)) {
      args.push_back(word);
    }
    args.push_back("--help");
    RunResult help = run(args);
    EXPECT_EQ(help.exit_code, 0) << command;
    for (const char* jargon : {"INT:INT", "FLOAT", "Excludes", "TEXT:{", "REQUIRED", "22222"}) {
      EXPECT_EQ(help.out.find(jargon), std::string::npos)
          << command << " --help: " << jargon << "\n"
          << help.out;
    }
  }

  RunResult jobs = run({bin, "ingest", "x", "--jobs", "0"});
  EXPECT_EQ(jobs.exit_code, 1);
  EXPECT_EQ(jobs.err,
            "sohoa: ingest: --jobs: '0' is not a number from 1 to 256 (see sohoa ingest --help)\n");
  TempDir dir;
  std::string db = (dir / "sohoa.db").string();
  ASSERT_EQ(run({bin, "units", "import", sohoa::testing::units_csv_path().string(), "--db", db})
                .exit_code,
            0);
  RunResult both = run({bin, "show", "1", "--json", "--text", "--db", db});
  EXPECT_EQ(both.exit_code, 1);
  EXPECT_TRUE(both.err.starts_with("sohoa: ")) << both.err;
}

TEST_F(OfficeUx, AnUnknownUnitIsNamedWithTheNearestCode) {
  RunResult r = sohoa({"ingest", sample("doc-0003.jpg").string(), "--unit", "hoa-dongg"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "sohoa: unknown unit 'hoa-dongg' (did you mean 'hoa-dong'?); see `sohoa units list`\n");
}

// --- item 4: the live line with stdout piped and stderr on a terminal ---

struct PtyRun {
  int exit_code = -1;
  std::string terminal;  // what stderr (the terminal) received
  std::string out;       // what stdout (the pipe) received
};

// Runs `argv` with stderr on a pseudo-terminal and stdout into a pipe, as
// `sohoa ingest … | tee log` in a terminal does.
PtyRun run_with_stderr_on_terminal(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe");
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) throw std::runtime_error("forkpty");
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, STDIN_FILENO);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  PtyRun result;
  bool pty_open = true, pipe_open = true;
  char buf[4096];
  while (pty_open || pipe_open) {
    pollfd fds[2] = {{master, POLLIN, 0}, {pipe_fds[0], POLLIN, 0}};
    if (poll(fds, 2, 60000) <= 0) break;
    if (pty_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = read(master, buf, sizeof buf);
      if (n > 0)
        result.terminal.append(buf, static_cast<size_t>(n));
      else
        pty_open = false;  // EIO once the child is gone
    }
    if (pipe_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = read(pipe_fds[0], buf, sizeof buf);
      if (n > 0)
        result.out.append(buf, static_cast<size_t>(n));
      else
        pipe_open = false;
    }
  }
  close(master);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

TEST_F(OfficeUx, WithStdoutPipedTheTerminalGetsWholeProgressLinesOnly) {
  fs::create_directories(dir_ / "batch");
  fs::copy_file(sample("doc-0003.jpg"), dir_ / "batch" / "doc-0003.jpg");
  fs::copy_file(sample("doc-0001.png"), dir_ / "batch" / "doc-0001.png");  // stored: duplicate
  PtyRun r =
      run_with_stderr_on_terminal({sohoa::testing::sohoa_bin(), "ingest", (dir_ / "batch").string(),
                                   "--unit", "hoa-dong", "--json", "--jobs", "1", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.terminal;
  EXPECT_EQ(ndjson(r.out).size(), 2u) << r.out;
  // No redrawing in place: a line that another process (tee) prints would
  // land in the middle of it.
  EXPECT_EQ(r.terminal.find('\r' + std::string("f")), std::string::npos) << json(r.terminal);
  EXPECT_EQ(r.terminal.find("\x1b[K"), std::string::npos) << json(r.terminal);
  // Whole lines instead, the last one with every file done.
  EXPECT_NE(r.terminal.find("sohoa: files 2/2 · pages 1"), std::string::npos) << json(r.terminal);
  EXPECT_TRUE(r.terminal.ends_with("\n")) << json(r.terminal);
}

// --- item 7: the hot folder ---

bool wait_for_file(const fs::path& path, std::chrono::seconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (fs::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST_F(OfficeUx, WatchTakesSubfoldersFilesNonScansAwayAndSaysItStops) {
  fs::path hot = dir_ / "hot";
  fs::create_directories(hot / "desk 2");
  fs::copy_file(sample("doc-0003.jpg"), hot / "desk 2" / "doc-0003.jpg");
  write_file(hot / "QuyetDinh.docx", "PK\x03\x04 a word file");

  std::string out = (dir_ / "out").string(), err = (dir_ / "err").string();
  std::vector<std::string> argv = {sohoa::testing::sohoa_bin(),
                                   "watch",
                                   hot.string(),
                                   "--unit",
                                   "hoa-dong",
                                   "--settle",
                                   "1",
                                   "--jobs",
                                   "2",
                                   "--recursive",
                                   "--db",
                                   db_};
  pid_t pid = sohoa::testing::spawn_to_files(argv, out, err);

  bool done = wait_for_file(hot / "done" / "desk 2" / "doc-0003.jpg", std::chrono::seconds(300));
  bool failed =
      wait_for_file(hot / "failed" / "QuyetDinh.docx.error.txt", std::chrono::seconds(30));
  ::kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(done) << read_file(err);
  ASSERT_TRUE(failed) << read_file(err);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(read_file(hot / "failed" / "QuyetDinh.docx.error.txt").find("not an image or PDF"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(hot / "QuyetDinh.docx"));

  // Every line starts with the local time; the stop is acknowledged.
  std::vector<std::string> lines = lines_of(read_file(out));
  ASSERT_EQ(lines.size(), 2u) << read_file(out);
  static const std::regex stamped(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\t(ok|skipped)\t.*)");
  for (const auto& line : lines) EXPECT_TRUE(std::regex_match(line, stamped)) << line;
  std::string errors = read_file(err);
  EXPECT_NE(errors.find("sohoa: stopping: finishing the file in hand"), std::string::npos)
      << errors;
  // The non-scan is not recorded: only the scan joined the two documents.
  EXPECT_EQ(ndjson(sohoa({"list", "--json"}).out).size(), 3u);
  EXPECT_EQ(sohoa({"review", "--queue"}).out.find("QuyetDinh"), std::string::npos);
}

// --- item 3: the HTML progress page ---

TEST_F(OfficeUx, HtmlProgressFollowsByAndPrintsCountsInVietnamese) {
  fs::path level = dir_ / "level.html", unit = dir_ / "unit.html";
  ASSERT_EQ(
      sohoa({"progress", "--format", "html", "--by", "level", "--out", level.string()}).exit_code,
      0);
  ASSERT_EQ(
      sohoa({"progress", "--format", "html", "--by", "unit", "--out", unit.string()}).exit_code, 0);
  std::string by_level = read_file(level), by_unit = read_file(unit);
  EXPECT_NE(by_level, by_unit);
  EXPECT_NE(by_unit.find("<td>xa-hoa-thinh</td><td>Xã Hòa Thịnh</td>"), std::string::npos);
  EXPECT_EQ(by_level.find("<td>xa-hoa-thinh</td>"), std::string::npos);
  EXPECT_NE(by_level.find("<td>Cấp xã (xa)</td>"), std::string::npos);
  for (const std::string& html : {by_level, by_unit}) {
    EXPECT_NE(html.find("<th>Đã số hóa (digitized)</th>"), std::string::npos);
    EXPECT_NE(html.find("<th>Còn hiệu lực (valid)</th>"), std::string::npos);
    // The current year is counted so far, and says so.
    EXPECT_NE(html.find("chưa hết kỳ"), std::string::npos);
  }
  // The per-level counts are printed on the chart, not only in tooltips.
  // (doc-0007 matches its register row; doc-0001, whose date is unsure, none.)
  EXPECT_NE(by_level.find(">1/9</text>"), std::string::npos) << by_level;
}

// --- item 9: ingest feedback ---

TEST(IngestFeedback, SummarySaysWhatAwaitsReviewAndLinesShowNumberAndType) {
  TempDir dir;
  std::string bin = sohoa::testing::sohoa_bin();
  std::string db = (dir / "sohoa.db").string();
  ASSERT_EQ(run({bin, "units", "import", sohoa::testing::units_csv_path().string(), "--db", db})
                .exit_code,
            0);
  // doc-0001's date is unreadable (review); doc-0005 is read whole.
  RunResult r = run({bin, "ingest", sample("doc-0001.png").string(),
                     sample("doc-0005.pdf").string(), "--unit", "hoa-dong", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\t1 page\t" + sample("doc-0005.pdf").string() +
                       "\t813/TLKS\tTRÍCH LỤC KHAI SINH\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("review\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ingested: 2 stored (1 awaits review: sohoa review --queue), 0 duplicate, 0 "
                       "failed, 2 pages"),
            std::string::npos)
      << r.out;
}

// --- item 12: output details ---

TEST_F(OfficeUx, TextOutputHasHeadersAndSaysWhenALimitCutsIt) {
  RunResult units = sohoa({"units", "list"});
  EXPECT_TRUE(units.out.starts_with("code\tlevel\tname\tvalid_from\tvalid_to\tsuccessor\n"))
      << units.out;
  RunResult search = sohoa({"search", "", "--limit", "1"});
  EXPECT_TRUE(search.out.starts_with("id\tnumber\tissued\ttype\tunit\n")) << search.out;
  EXPECT_NE(search.err.find("sohoa: 1 of 2 shown"), std::string::npos) << search.err;
  RunResult all = sohoa({"search", "", "--limit", "5"});
  EXPECT_EQ(all.err, "");
  RunResult list = sohoa({"list", "--limit", "1"});
  EXPECT_TRUE(list.out.starts_with("id\tstatus\tnumber\tissued\ttype\tunit\tsource\n"));
  EXPECT_EQ(lines_of(list.out).size(), 2u);
  EXPECT_NE(list.err.find("1 of 2 shown; next page: --after"), std::string::npos) << list.err;
  std::vector<json> page2 = ndjson(
      sohoa({"list", "--after",
             // the first id of the two (workers store them in either order)
             std::to_string(std::min(id_of("doc-0001.png"), id_of("doc-0007.png"))), "--json"})
          .out);
  ASSERT_EQ(page2.size(), 1u);
  std::vector<std::string> keys;
  nlohmann::ordered_json first =
      nlohmann::ordered_json::parse(lines_of(sohoa({"list", "--json"}).out).at(0));
  for (auto it = first.begin(); it != first.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "status", "doc_number", "issued_date", "doc_type",
                                            "unit", "source"}));
  EXPECT_EQ(sohoa({"list", "--unit", "hoa-dongg"}).exit_code, 1);
  EXPECT_EQ(ndjson(sohoa({"list", "--status", "review", "--json"}).out).size(), 1u);

  // Per unit, the CSV names the units.
  RunResult csv = sohoa({"progress", "--by", "unit", "--format", "csv"});
  EXPECT_TRUE(
      csv.out.starts_with("unit,level,year,as_of,valid,digitized,percent,target,met,unit_name\n"))
      << csv.out;
  EXPECT_NE(csv.out.find(",Xã Hòa Thịnh\n"), std::string::npos);
}

TEST_F(OfficeUx, ExportAndRegisterImportSpeakJson) {
  fs::path out = dir_ / "a.xml";
  RunResult exported =
      sohoa({"export", std::to_string(id_of("doc-0007.png")), "--alto", out.string(), "--json"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  json line = json::parse(exported.out);
  EXPECT_EQ(line["format"], "alto");
  EXPECT_EQ(line["out"], out.string());
  EXPECT_EQ(line["bytes"].get<uintmax_t>(), fs::file_size(out));

  write_file(dir_ / "reg.csv",
             "unit,doc_number,issued_date\nhoa-dong,9/QĐ,2024-01-02\nnope,1,2024-01-02\n");
  RunResult reg = sohoa({"register", "import", (dir_ / "reg.csv").string(), "--json"});
  EXPECT_EQ(reg.exit_code, 3);
  json counts = json::parse(reg.out);
  EXPECT_EQ(counts["inserted"], 1);
  EXPECT_EQ(counts["updated"], 0);
  ASSERT_EQ(counts["rejected"].size(), 1u);
  EXPECT_EQ(counts["rejected"][0]["line"], 3);
}

}  // namespace

// --- item 11: the repository's own docs describe every command ---

namespace {

// The commands `sohoa --help` lists.
std::vector<std::string> listed_commands() {
  RunResult help = run({sohoa::testing::sohoa_bin(), "--help"});
  EXPECT_EQ(help.exit_code, 0);
  std::vector<std::string> names;
  bool in_list = false;
  static const std::regex entry(R"(^  ([a-z]+)  .*)");
  for (const auto& line : lines_of(help.out)) {
    if (line == "Subcommands:") in_list = true;
    std::smatch m;
    if (in_list && std::regex_match(line, m, entry)) names.push_back(m[1]);
  }
  return names;
}

// The section of docs/commands.md whose "## " heading names `command`.
std::string section_of(const std::string& doc, const std::string& command) {
  std::string out;
  bool in = false;
  const std::regex names(R"((^## |, ))" + command + "($|,)");
  for (const auto& line : lines_of(doc)) {
    if (line.starts_with("## ")) in = std::regex_search(line, names);
    if (in) out += line + "\n";
  }
  return out;
}

}  // namespace

// docs/commands.md has a section for every command that documents each of
// its options, so README's pointer to it covers them all; no doc points
// outside the repository (a clone has no ../shared) or names a machine path.
TEST(Docs, EveryCommandAndOptionIsInDocsAndNoLinkLeavesTheRepository) {
  const fs::path root = sohoa::testing::source_dir();
  std::string commands = read_file(root / "docs" / "commands.md");
  std::vector<std::string> names = listed_commands();
  ASSERT_GE(names.size(), 19u);
  static const std::regex option(R"(--[a-z][a-z-]*)");
  for (const auto& name : names) {
    std::string section = section_of(commands, name);
    ASSERT_FALSE(section.empty()) << "docs/commands.md has no section for " << name;
    RunResult help = run({sohoa::testing::sohoa_bin(), name, "--help"});
    ASSERT_EQ(help.exit_code, 0) << name;
    for (std::sregex_iterator it(help.out.begin(), help.out.end(), option), end; it != end; ++it) {
      std::string flag = it->str();
      if (flag == "--help" || flag == "--db") continue;  // the conventions say these once
      EXPECT_NE(section.find(flag), std::string::npos)
          << name << " " << flag << " is in --help but not in docs/commands.md";
    }
  }
  // Item 5: the examples use unit codes that exist (samples/units.csv).
  for (const auto& e : fs::directory_iterator(root / "deploy")) {
    EXPECT_EQ(read_file(e.path()).find("22222"), std::string::npos) << e.path();
  }
  static const std::regex link(R"(\]\(([^)#]+)[)#])");
  for (const fs::path& doc : {root / "README.md", root / "docs" / "commands.md",
                              root / "docs" / "install.md", root / "samples" / "README.md"}) {
    std::string text = read_file(doc);
    EXPECT_EQ(text.find("/work/"), std::string::npos) << doc << " names a machine path";
    for (std::sregex_iterator it(text.begin(), text.end(), link), end; it != end; ++it) {
      std::string target = (*it)[1];
      if (target.starts_with("http")) continue;
      fs::path resolved = fs::weakly_canonical(doc.parent_path() / target);
      EXPECT_TRUE(fs::exists(resolved)) << doc << " links to " << target;
      EXPECT_TRUE(resolved.string().starts_with(fs::weakly_canonical(root).string() + "/"))
          << doc << " links outside the repository: " << target;
    }
  }
}
