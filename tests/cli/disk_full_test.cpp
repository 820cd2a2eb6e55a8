// A disk that fills up (issue 19.9): "database or disk is full" did not say
// which input was being stored. On a tmpfs mounted in a private user and
// mount namespace and shrunk to what is used, ingest stops with one `sohoa:`
// line naming the input, exit 2 (SPEC: the database cannot be written),
// nothing half-stored, and the rerun with room stores exactly the rest. The
// twin: the archive of originals is what fills up. A database that cannot
// even be opened for lack of room is not called "not a sohoa database".
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

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

class DiskFull : public ::testing::Test {
 protected:
  TempDir dir_;
};

// Runs the sh `script` as root of a private user and mount namespace, where
// it may mount a small tmpfs that vanishes with it (the disk that fills up).
// Skips the test where such namespaces are not allowed.
std::optional<RunResult> in_private_mounts(const std::string& script,
                                           const std::vector<std::string>& env) {
  // Mounting is what may be refused (seccomp, AppArmor), not only unshare.
  RunResult probe = run({"/usr/bin/unshare", "--user", "--map-root-user", "--mount", "/bin/sh",
                         "-c", "mount -t tmpfs -o size=64k sohoa-probe /tmp"});
  if (probe.exit_code != 0) return std::nullopt;
  return run({"/usr/bin/unshare", "--user", "--map-root-user", "--mount", "/bin/sh", "-c", script},
             env);
}

// Each stored document whole: its pages are those reported, its original
// archived under its hash with those very bytes.
void expect_whole(const std::string& db_path, const std::vector<json>& reported) {
  auto db = sohoa::storage::Database::open(db_path);
  auto archive = sohoa::storage::Archive::beside(db_path);
  for (const json& row : reported) {
    if (row["status"] != "ok") continue;
    auto doc = db->document(row["id"].get<int64_t>());
    ASSERT_TRUE(doc) << row;
    EXPECT_EQ(static_cast<int>(doc->pages.size()), row["pages"].get<int>()) << row;
    EXPECT_TRUE(archive.contains(doc->archive_sha256)) << row;
    EXPECT_EQ(sohoa::storage::sha256_of_file(archive.path_of(doc->archive_sha256)),
              doc->archive_sha256);
  }
}

TEST_F(DiskFull, IngestStopsNamingTheInputAndTheRerunFinishesExactly) {
  fs::path first = dir_ / "first", rest = dir_ / "rest", out = dir_ / "out";
  fs::create_directories(first);
  fs::create_directories(rest);
  fs::create_directories(out);
  fs::create_directories(dir_ / "small");
  fs::create_directories(dir_ / "originals");
  const fs::path scans = sohoa::testing::source_dir() / "samples" / "scans";
  fs::copy_file(scans / "doc-0001.png", first / "doc-0001.png");
  fs::copy_file(scans / "doc-0003.jpg", rest / "doc-0003.jpg");
  fs::copy_file(scans / "doc-0007.png", rest / "doc-0007.png");

  // One document stored while there is room; then the disk is shrunk to
  // what is used plus 64 KiB (room to open the database and its WAL index,
  // not to store a document's pages) and the rest is ingested. The originals are
  // kept off that disk, so it is the database that cannot grow.
  const std::string script = R"(
    set -e
    mount -t tmpfs -o size=4m sohoa-full "$SMALL"
    "$SOHOA" units import "$UNITS" --db "$SMALL/s.db" > /dev/null
    ln -s "$ORIGINALS" "$SMALL/s.db.files"
    "$SOHOA" ingest "$FIRST" --unit hoa-dong --json --jobs 1 --db "$SMALL/s.db" > "$OUT/first"
    used=$(du -sk "$SMALL" | cut -f1)
    mount -o remount,size=$((used + 64))k "$SMALL"
    set +e
    "$SOHOA" ingest "$REST" --unit hoa-dong --json --jobs 1 --db "$SMALL/s.db" \
        > "$OUT/out" 2> "$OUT/err"
    echo $? > "$OUT/rc"
    cp "$SMALL"/s.db "$SMALL"/s.db-wal "$OUT"/ 2> /dev/null
    # No room left at all: not even the WAL index can be made to read it.
    rm -f "$SMALL"/s.db-wal "$SMALL"/s.db-shm
    mount -o remount,size=$(du -sk "$SMALL" | cut -f1)k "$SMALL"
    "$SOHOA" list --db "$SMALL/s.db" > /dev/null 2> "$OUT/list-err"
    echo $? > "$OUT/list-rc"
    true
  )";
  auto r = in_private_mounts(
      script,
      {"SOHOA=" + sohoa::testing::sohoa_bin(), "UNITS=" + sohoa::testing::units_csv_path().string(),
       "SMALL=" + (dir_ / "small").string(), "ORIGINALS=" + (dir_ / "originals").string(),
       "FIRST=" + first.string(), "REST=" + rest.string(), "OUT=" + out.string()});
  if (!r) GTEST_SKIP() << "no private mount namespace with tmpfs here (unshare or mount refused)";
  ASSERT_EQ(r->exit_code, 0) << r->err;
  std::vector<json> stored_first = json_lines(read_file(out / "first"));
  ASSERT_EQ(stored_first.size(), 1u);
  ASSERT_EQ(stored_first[0]["status"], "ok");

  EXPECT_EQ(read_file(out / "rc"), "2\n");
  std::string err = read_file(out / "err");
  std::vector<std::string> lines = lines_of(err);
  ASSERT_EQ(lines.size(), 1u) << err;
  EXPECT_NE(lines[0].find("s.db: database or disk is full"), std::string::npos) << err;
  // It names the input being stored: one of the two, not reported stored.
  std::vector<json> stored_rest = json_lines(read_file(out / "out"));
  std::set<std::string> reported;
  for (const json& row : stored_rest) reported.insert(row["source"]);
  std::string failing;
  for (const char* name : {"doc-0003.jpg", "doc-0007.png"}) {
    std::string path = (rest / name).string();
    if (lines[0].starts_with("sohoa: " + path + ": not stored: ")) failing = path;
  }
  EXPECT_FALSE(failing.empty()) << err;
  EXPECT_EQ(reported.count(failing), 0u) << failing;
  ASSERT_LT(stored_rest.size(), 2u);

  // A database that cannot be opened now is said to be so, not to be no
  // sohoa database (which sent people to `units import` over their data).
  EXPECT_EQ(read_file(out / "list-rc"), "2\n");
  std::string list_err = read_file(out / "list-err");
  EXPECT_TRUE(
      list_err.starts_with("sohoa: " + (dir_ / "small" / "s.db").string() + ": cannot be read: "))
      << list_err;
  EXPECT_EQ(list_err.find("not a sohoa database"), std::string::npos) << list_err;

  // The database as the full disk left it: the first document whole, no
  // trace of the one being stored.
  std::string db = (out / "s.db").string();
  fs::create_symlink(dir_ / "originals", out / "s.db.files");
  expect_whole(db, stored_first);
  expect_whole(db, stored_rest);
  {
    auto opened = sohoa::storage::Database::open(db);
    EXPECT_EQ(opened->document_ids().size(), 1u + stored_rest.size());
    EXPECT_FALSE(opened->find_by_sha256(sohoa::storage::sha256_of_file(failing)));
  }
  RunResult sql = run({"/usr/bin/sqlite3", db, "PRAGMA integrity_check;"});
  EXPECT_EQ(sql.out, "ok\n") << sql.err;

  // Room again: the rerun stores the rest, once each.
  RunResult again = run({sohoa::testing::sohoa_bin(), "ingest", first.string(), rest.string(),
                         "--unit", "hoa-dong", "--json", "--jobs", "2", "--db", db});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::vector<json> rows = json_lines(again.out);
  ASSERT_EQ(rows.size(), 3u) << again.out;
  std::map<std::string, int> statuses;
  for (const json& row : rows) ++statuses[row["status"].get<std::string>()];
  EXPECT_EQ(statuses["duplicate"], 1 + static_cast<int>(stored_rest.size()));
  EXPECT_EQ(statuses["ok"], 2 - static_cast<int>(stored_rest.size()));
  expect_whole(db, rows);
  EXPECT_EQ(sohoa::storage::Database::open(db)->document_ids().size(), 3u);

  // The twin: the archive of originals on the full disk, the database not.
  fs::path db2 = dir_ / "twin.db";
  RunResult u = run({sohoa::testing::sohoa_bin(), "units", "import",
                     sohoa::testing::units_csv_path().string(), "--db", db2.string()});
  ASSERT_EQ(u.exit_code, 0) << u.err;
  const std::string twin = R"(
    mount -t tmpfs -o size=64k sohoa-full "$SMALL" || exit 99
    ln -s "$SMALL" "$DB.files"
    "$SOHOA" ingest "$REST/doc-0003.jpg" --unit hoa-dong --json --jobs 1 --db "$DB" \
        > "$OUT/twin-out" 2> "$OUT/twin-err"
    echo $? > "$OUT/twin-rc"
    rm "$DB.files"
    true
  )";
  r = in_private_mounts(
      twin, {"SOHOA=" + sohoa::testing::sohoa_bin(), "SMALL=" + (dir_ / "small").string(),
             "DB=" + db2.string(), "REST=" + rest.string(), "OUT=" + out.string()});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->exit_code, 0) << r->err;
  EXPECT_EQ(read_file(out / "twin-rc"), "2\n");
  std::string twin_err = read_file(out / "twin-err");
  ASSERT_EQ(lines_of(twin_err).size(), 1u) << twin_err;
  EXPECT_TRUE(twin_err.starts_with("sohoa: " + (rest / "doc-0003.jpg").string() + ": not stored: "))
      << twin_err;
  EXPECT_NE(twin_err.find("No space left on device"), std::string::npos) << twin_err;
  EXPECT_EQ(read_file(out / "twin-out"), "");
  EXPECT_TRUE(sohoa::storage::Database::open(db2.string())->document_ids().empty());
}

}  // namespace
