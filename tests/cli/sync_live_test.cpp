// `sohoa sync` while the station and the centre are in use (SPEC "Central
// store and stations"): `watch --sync-to URL` on the real binary through a
// link that is down and then up, and `progress`/`search` reading the centre
// while stations sync into it. Against the real server $SOHOA_TEST_POSTGRES
// names, as sync_test.
#include "tests/cli/sync_fixture.h"

namespace {

// `watch --sync-to URL` on the real binary: the centre cannot be reached at
// first (the proxy in front of it refuses); the watch keeps ingesting and
// says it will retry; once the link is up, each document arrives once.
TEST_F(SyncTest, WatchKeepsIngestingWhileTheCentreIsDownThenSyncsEachDocumentOnce) {
  std::string station = (dir / "station.db").string();
  sohoa::testing::create_database(station);
  std::vector<fs::path> scans =
      sohoa::testing::generate_scans(dir / "gen", {.count = 2, .seed = 16, .prefix = "scan"});
  ASSERT_EQ(scans.size(), 2u);
  fs::path hot = dir / "hot";
  fs::create_directories(hot);
  fs::copy_file(scans[0], hot / scans[0].filename());

  CuttingProxy proxy(port_of(central->arg()), SIZE_MAX, 0);
  proxy.set_down(true);
  fs::path err = dir / "watch.err";
  pid_t watch =
      spawn_logged({sohoa::testing::sohoa_bin(), "watch", hot.string(), "--unit", "hoa-dong",
                    "--settle", "1", "--jobs", "2", "--station", "hoa-dong-1", "--sync-to",
                    through_port(central->arg(), proxy.port()), "--db", station},
                   dir / "watch.out", err);
  auto log = [&] { return sohoa::testing::read_file(err); };
  auto retries = [&] { return count_of(log(), "; retrying in "); };
  auto done = [&](const fs::path& scan) { return fs::exists(hot / "done" / scan.filename()); };
  // The first scan is read, the sync after it fails and is put off.
  bool first =
      eventually([&] { return done(scans[0]) && retries() >= 1; }, std::chrono::seconds(120));
  // Meanwhile more scans come and are read although the link is still down.
  for (size_t i = 1; i < scans.size(); ++i) fs::copy_file(scans[i], hot / scans[i].filename());
  bool rest = first && eventually([&] { return done(scans[1]); }, std::chrono::seconds(120));
  std::string while_down = postgres_exec(central->arg(), "SELECT count(*) FROM documents");
  size_t retries_while_down = retries();
  proxy.set_down(false);
  bool synced = rest && eventually([&] { return count_of(log(), ": sent ") >= 1; },
                                   std::chrono::seconds(120));
  ::kill(watch, SIGTERM);
  EXPECT_EQ(exit_code_of(watch, std::chrono::seconds(60)), 0) << log();
  ASSERT_TRUE(first) << log();
  ASSERT_TRUE(rest) << log();
  ASSERT_TRUE(synced) << log();
  EXPECT_EQ(while_down, "0");
  EXPECT_GE(retries_while_down, 1u);
  EXPECT_NE(log().find("sohoa: sync: "), std::string::npos) << log();
  // The one sync that got through sent both; nothing was doubled.
  EXPECT_NE(log().find(": sent 2, already there 0, failed 0"), std::string::npos) << log();
  EXPECT_EQ(postgres_exec(central->arg(), "SELECT count(*) FROM documents"), "2");
  RunResult again = sync(station, central->arg(), true);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "{\"sent\":0,\"already\":2,\"failed\":0}\n");
  expect_whole({station});
}

// What `progress --format json` or `search` shows at the centre while
// stations sync into it: each run succeeds, and a document once seen stays
// seen.
struct ReaderLog {
  std::vector<std::string> errors;
  std::vector<int> counts;  // progress: "unmatched" (no register, so every document); search: hits
  bool doubled = false;     // a search hit twice in one answer
};

// Runs `progress` (or `search` when `search`) on `url` until `stop`, at
// least once.
void read_centre_until(const std::string& url, bool search, const std::atomic<bool>& stop,
                       ReaderLog& log) {
  do {
    RunResult r =
        search ? run({sohoa::testing::sohoa_bin(), "search", "giay phep xay dung", "--limit",
                      "1000", "--json", "--db", url})
               : run({sohoa::testing::sohoa_bin(), "progress", "--format", "json", "--db", url});
    if (r.exit_code != 0 || !r.err.empty()) {
      log.errors.push_back(std::to_string(r.exit_code) + ": " + r.err);
      continue;
    }
    try {
      if (search) {
        std::vector<json> lines = sohoa::testing::json_lines(r.out);
        std::set<int64_t> ids;
        for (const json& hit : lines) ids.insert(hit["id"].get<int64_t>());
        log.doubled = log.doubled || ids.size() != lines.size();
        log.counts.push_back(static_cast<int>(lines.size()));
      } else {
        json progress = json::parse(r.out);
        if (!progress["rows"].empty()) log.errors.push_back("rows without a register: " + r.out);
        log.counts.push_back(progress["unmatched"].get<int>());
      }
    } catch (const std::exception& e) {
      log.errors.push_back(std::string("not the JSON expected: ") + e.what() + "\n" + r.out);
    }
  } while (!stop);
}

void expect_steady(const ReaderLog& log, int total, const std::string& what) {
  for (const std::string& e : log.errors) ADD_FAILURE() << what << ": " << e;
  std::string seen = ::testing::PrintToString(log.counts);
  EXPECT_TRUE(std::is_sorted(log.counts.begin(), log.counts.end())) << what << " " << seen;
  ASSERT_FALSE(log.counts.empty()) << what;
  EXPECT_EQ(log.counts.back(), total) << what << " " << seen;
  // It did read while the stations were syncing, not only before or after.
  EXPECT_TRUE(
      std::any_of(log.counts.begin(), log.counts.end(), [&](int c) { return c > 0 && c < total; }))
      << what << " " << seen;
}

TEST_F(SyncTest, ProgressAndSearchReadTheCentreWhileTwoStationsSync) {
  // 60 documents each, 20 of them shared: 100 in all, sent through a slow
  // link so that the readers (straight to the server) see them arrive.
  std::vector<fs::path> stations = {make_station(dir.path(), "station-0", 0, 60),
                                    make_station(dir.path(), "station-1", 40, 100)};
  CuttingProxy slow(port_of(central->arg()), SIZE_MAX, 0);
  // 4 ms a chunk: under a loaded sanitizer build one `progress` run takes
  // seconds, and at 2 ms both stations once finished between two of them.
  slow.set_delay(std::chrono::milliseconds(4));
  std::string slow_url = through_port(central->arg(), slow.port());
  std::atomic<bool> stop{false};
  ReaderLog progress, search;
  std::thread progress_reader([&] { read_centre_until(central->arg(), false, stop, progress); });
  std::thread search_reader([&] { read_centre_until(central->arg(), true, stop, search); });
  std::vector<RunResult> results(stations.size());
  std::vector<std::thread> syncs;
  for (size_t i = 0; i < stations.size(); ++i) {
    syncs.emplace_back([&, i] { results[i] = sync(stations[i], slow_url, true); });
  }
  for (auto& t : syncs) t.join();
  stop = true;
  progress_reader.join();
  search_reader.join();
  // Once more each, after both syncs ended.
  read_centre_until(central->arg(), false, stop, progress);
  read_centre_until(central->arg(), true, stop, search);
  int sent = 0;
  for (const RunResult& r : results) {
    ASSERT_EQ(r.exit_code, 0) << r.err;
    sent += json::parse(r.out)["sent"].get<int>();
  }
  EXPECT_EQ(sent, 100);
  expect_steady(progress, 100, "progress");
  expect_steady(search, 100, "search");
  EXPECT_FALSE(search.doubled);
  expect_whole(stations);
}

}  // namespace
