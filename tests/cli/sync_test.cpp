// `sohoa sync --to URL` (SPEC "Central store and stations"): stations'
// SQLite databases into one central PostgreSQL store, run as the real
// build/sohoa against the real server $SOHOA_TEST_POSTGRES names. Faults:
// SIGKILL at random moments, a loopback proxy that cuts the connection
// mid-transfer, stations syncing at once. Afterwards every document is there
// exactly once, whole, with its original intact.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "storage/database.h"
#include "storage/file_hash.h"
#include "tests/support/test_store.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::storage::Correction;
using sohoa::storage::Database;
using sohoa::storage::NewDocument;
using sohoa::testing::postgres_exec;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::StoreKind;
using sohoa::testing::TempDir;
using sohoa::testing::TestStore;

std::string sha_of(const std::string& bytes) {
  sohoa::storage::Sha256 h;
  h.update(bytes);
  return h.hex();
}

// A station's document `n` (the same n gives the same bytes at any station:
// the same paper scanned twice) with an original of a few kilobytes.
NewDocument station_document(int n, const std::string& original_sha, const std::string& station) {
  NewDocument d;
  d.sha256 = original_sha;
  d.archive_sha256 = original_sha;
  d.source = "scans/doc-" + std::to_string(n) + ".png";
  d.station = station;
  d.unit = "hoa-dong";
  d.issuer_unit = "hoa-dong";
  d.level = "xa";
  d.digitized_at = "2026-11-" + std::to_string(10 + n % 20);
  d.status = n % 7 == 3 ? "review" : "ok";
  if (d.status == "review") d.review_reasons = {"signer missing"};
  d.fields = {{"doc_type", "QUYẾT ĐỊNH", 0.9},
              {"doc_number", std::to_string(100 + n) + "/QĐ-UBND", 0.95},
              {"issued_date", "2025-03-" + std::to_string(10 + n % 18), 0.99}};
  sohoa::storage::PageRecord page;
  page.page = 1;
  page.width = 2480;
  page.height = 3508;
  page.dpi = 300;
  page.ocr_confidence = 90;
  page.text = "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG\nQUYẾT ĐỊNH số " + std::to_string(100 + n) +
              "\nVề việc cấp giấy phép xây dựng nhà ở số " + std::to_string(n);
  page.layout_json = R"({"blocks":[]})";
  d.pages = {page};
  return d;
}

std::string original_bytes(int n) {
  std::mt19937 rng(static_cast<unsigned>(n) * 7919u + 1u);
  std::string bytes = "\x89PNG\r\n\x1a\n";
  bytes.resize(2048 + static_cast<size_t>(n % 5) * 1024);
  for (size_t i = 8; i < bytes.size(); ++i) bytes[i] = static_cast<char>(rng());
  return bytes;
}

// A station database `name` holding documents [from, to) with their
// originals archived; every 5th carries a correction made there.
fs::path make_station(const fs::path& dir, const std::string& name, int from, int to) {
  fs::path db_path = dir / (name + ".db");
  auto db = Database::open(db_path);
  db->upsert_units({{"hoa-dong", "Xã Hòa Đồng", "xa", "", "", "", ""}});
  fs::create_directories(dir / "originals");
  for (int n = from; n < to; ++n) {
    std::string bytes = original_bytes(n);
    std::string sha = sha_of(bytes);
    fs::path file = dir / "originals" / (std::to_string(n) + ".png");
    sohoa::testing::write_file(file, bytes);
    db->put_original(file, sha);
    int64_t id = db->store_document(station_document(n, sha, name));
    if (n % 5 == 0) db->add_correction(id, "signer", "Nguyễn Văn " + std::to_string(n), name);
  }
  return db_path;
}

std::string integrity_of_sqlite(const fs::path& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  std::string out = sqlite3_step(stmt) == SQLITE_ROW
                        ? reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))
                        : "no answer";
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    central = TestStore::make(StoreKind::kPostgres, dir.path());
    if (!central) GTEST_SKIP() << "SOHOA_TEST_POSTGRES is not set: no PostgreSQL server to test on";
    RunResult units = sohoa(
        {"units", "import", sohoa::testing::units_csv_path().string(), "--db", central->arg()});
    ASSERT_EQ(units.exit_code, 0) << units.err;
  }

  static RunResult sohoa(std::vector<std::string> args) {
    args.insert(args.begin(), sohoa::testing::sohoa_bin());
    return run(args);
  }

  RunResult sync(const fs::path& station, const std::string& url, bool json = false) {
    std::vector<std::string> args = {"sync",    "--db", station.string(), "--to", url,
                                     "--batch", "10"};
    if (json) args.push_back("--json");
    return sohoa(args);
  }

  // Every document of the stations is in the centre exactly once, whole:
  // same record, pages, effective fields and original bytes; both sides'
  // integrity checked.
  void expect_whole(const std::vector<fs::path>& stations) {
    auto centre = Database::open(central->arg());
    std::set<std::string> wanted;
    for (const fs::path& s : stations) {
      EXPECT_EQ(integrity_of_sqlite(s), "ok") << s;
      auto station = Database::open(s);
      for (int64_t id : station->document_ids()) {
        auto doc = station->document(id);
        wanted.insert(doc->sha256);
        auto there = centre->find_by_sha256(doc->sha256);
        ASSERT_TRUE(there) << doc->source;
        auto copy = centre->document(there->id);
        EXPECT_EQ(copy->source, doc->source);
        EXPECT_EQ(copy->status, doc->status);
        EXPECT_EQ(copy->pages.size(), doc->pages.size());
        EXPECT_EQ(copy->pages[0].text, doc->pages[0].text);
        EXPECT_EQ(copy->fields.size(), doc->fields.size());
        EXPECT_EQ(centre->original(doc->archive_sha256), station->original(doc->archive_sha256));
      }
    }
    std::string count = postgres_exec(central->arg(), "SELECT count(*) FROM documents");
    EXPECT_EQ(count, std::to_string(wanted.size()));
    EXPECT_EQ(postgres_exec(central->arg(), "SELECT count(DISTINCT sha256) FROM documents"), count);
    // Central integrity: each document has its pages, search row and an
    // original that hashes to its name; no original without its document.
    EXPECT_EQ(postgres_exec(central->arg(),
                            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM "
                            "pages p WHERE p.doc_id = d.id) OR NOT EXISTS (SELECT 1 FROM "
                            "search_index s WHERE s.doc_id = d.id)"),
              "0");
    EXPECT_EQ(postgres_exec(central->arg(),
                            "SELECT count(*) FROM originals WHERE encode(sha256(bytes), 'hex') "
                            "<> sha256 OR size <> length(bytes)"),
              "0");
    EXPECT_EQ(postgres_exec(central->arg(), "SELECT count(*) FROM originals"), count);
    EXPECT_EQ(postgres_exec(central->arg(), "SELECT count(*) FROM corrections"),
              std::to_string(expected_corrections(stations)));
  }

  static size_t expected_corrections(const std::vector<fs::path>& stations) {
    std::set<std::string> seen;  // one per document and correction, whichever station sent it
    for (const fs::path& s : stations) {
      auto station = Database::open(s);
      for (int64_t id : station->document_ids()) {
        std::string sha = station->document(id)->sha256;
        for (const Correction& c : station->corrections(id)) {
          seen.insert(sha + c.field + c.value + c.by + c.at);
        }
      }
    }
    return seen.size();
  }

  TempDir dir;
  std::unique_ptr<TestStore> central;
};

TEST_F(SyncTest, SendsOnlyWhatTheCentreLacksAndPrintsTheSpecCounts) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 25);
  RunResult first = sync(station, central->arg());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "sent 25, already there 0, failed 0\n");
  EXPECT_NE(first.err.find("sync: 10/25"), std::string::npos) << first.err;  // progress
  RunResult again = sync(station, central->arg(), true);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "{\"sent\":0,\"already\":25,\"failed\":0}\n");
  expect_whole({station});
  // What the centre shows is what the station shows.
  RunResult a = sohoa({"show", "5", "--json", "--db", station.string()});
  RunResult b = sohoa({"show", "5", "--json", "--db", central->arg()});
  EXPECT_EQ(a.out, b.out);
  // And search finds it centrally.
  RunResult hit = sohoa({"search", "\"giay phep xay dung\" 105", "--json", "--db", central->arg()});
  EXPECT_EQ(sohoa::testing::lines_of(hit.out).size(), 1u) << hit.out << hit.err;
}

TEST_F(SyncTest, CorrectionsTravelButACentralCorrectionMadeSinceIsNotOverwritten) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 4);  // doc 3 is for review
  ASSERT_EQ(sync(station, central->arg()).exit_code, 0);
  // The station corrects two fields; later the centre corrects one of them.
  {
    auto s = Database::open(station);
    s->add_correction(1, "doc_number", "777/QĐ-UBND", "station-clerk");
    s->add_correction(1, "signer", "Trần Thị Bé", "station-clerk");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto centre = Database::open(central->arg());
  int64_t id = centre->find_by_sha256(sha_of(original_bytes(0)))->id;
  centre->add_correction(id, "doc_number", "888/QĐ-UBND", "province-clerk");
  RunResult r = sync(station, central->arg());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "sent 0, already there 4, failed 0\n");
  auto doc = centre->document(id);
  auto value = [&](const std::string& name) {
    for (const auto& f : doc->fields) {
      if (f.name == name) return f.value;
    }
    return std::string("<absent>");
  };
  EXPECT_EQ(value("doc_number"), "888/QĐ-UBND");  // the newer, central one
  EXPECT_EQ(value("signer"), "Trần Thị Bé");      // the station's travelled
  // Who and when travelled with them; nothing is doubled by a rerun.
  ASSERT_EQ(sync(station, central->arg()).exit_code, 0);
  auto corrections = centre->corrections(id);
  ASSERT_EQ(corrections.size(), 4u);  // the station's first, its two new, the centre's
  int from_station = 0;
  for (const Correction& c : corrections) from_station += c.by == "station-clerk" ? 1 : 0;
  EXPECT_EQ(from_station, 2);
  // Review state travels: the review document is in the central queue.
  RunResult queue = sohoa({"review", "--queue", "--json", "--db", central->arg()});
  EXPECT_NE(queue.out.find("signer missing"), std::string::npos) << queue.out;
}

TEST_F(SyncTest, ADocumentWithoutItsOriginalFailsAloneWithExit3) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 6);
  std::string sha = sha_of(original_bytes(2));
  fs::remove(sohoa::storage::Archive::beside(station).path_of(sha));
  RunResult r = sync(station, central->arg(), true);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.out, "{\"sent\":5,\"already\":0,\"failed\":1}\n");
  EXPECT_NE(r.err.find("sohoa: scans/doc-2.png: not sent: its original is not in"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(Database::open(central->arg())->find_by_sha256(sha));
}

TEST_F(SyncTest, RefusesWhatIsNoCentralStore) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 1);
  RunResult file = sync(station, (dir.path() / "other.db").string());
  EXPECT_EQ(file.exit_code, 1) << file.err;
  EXPECT_NE(file.err.find("not a central store's URL"), std::string::npos) << file.err;
  RunResult down = sync(station, "postgresql://sohoa:pw-secret@127.0.0.1:1/central");
  EXPECT_EQ(down.exit_code, 2) << down.err;
  EXPECT_EQ(down.err.find("pw-secret"), std::string::npos) << down.err;
  RunResult no_station = sync(dir.path() / "missing.db", central->arg());
  EXPECT_EQ(no_station.exit_code, 2) << no_station.err;
  EXPECT_EQ(postgres_exec(central->arg(), "SELECT count(*) FROM documents"), "0");
}

pid_t spawn_quiet(const std::vector<std::string>& argv) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, cargs[0], &actions, nullptr, cargs.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

TEST_F(SyncTest, KilledAtRandomMomentsThenRerunEveryDocumentIsThereOnceAndWhole) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 60);
  std::mt19937 rng(20261201);
  int killed = 0;
  for (int round = 0; round < 6; ++round) {
    pid_t pid = spawn_quiet(
        {sohoa::testing::sohoa_bin(), "sync", "--db", station.string(), "--to", central->arg()});
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 400));
    if (::kill(pid, SIGKILL) == 0) ++killed;
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  EXPECT_GT(killed, 0);
  RunResult last = sync(station, central->arg(), true);
  ASSERT_EQ(last.exit_code, 0) << last.err;
  json counts = json::parse(last.out);
  EXPECT_EQ(counts["sent"].get<int>() + counts["already"].get<int>(), 60) << last.out;
  EXPECT_EQ(counts["failed"], 0);
  expect_whole({station});
}

// A loopback TCP proxy to the test server that cuts a connection once
// `cut_after` bytes have gone through it from client to server, `cuts`
// times; then, when `then_down`, it refuses every new connection (the link
// stays down).
class CuttingProxy {
 public:
  CuttingProxy(int target_port, size_t cut_after, int cuts, bool then_down = false)
      : target_port_(target_port), cut_after_(cut_after), cuts_(cuts), then_down_(then_down) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 16) != 0) {
      throw std::runtime_error("proxy: cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~CuttingProxy() {
    stop_ = true;
    thread_.join();
    if (listener_ >= 0) ::close(listener_);
  }

  int port() const { return port_; }
  int cuts_done() const { return cuts_done_; }
  // While down, every new connection is accepted and closed at once (the
  // centre cannot be reached); open ones are kept.
  void set_down(bool down) { down_ = down; }

 private:
  struct Pair {
    int client, server;
    size_t sent = 0;
  };

  void serve() {
    std::vector<Pair> pairs;
    while (!stop_) {
      std::vector<pollfd> fds = {{listener_, POLLIN, 0}};
      for (const Pair& p : pairs) {
        fds.push_back({p.client, POLLIN, 0});
        fds.push_back({p.server, POLLIN, 0});
      }
      if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
      std::vector<Pair> kept;
      // The pairs polled; one accepted below waits for the next poll.
      for (size_t i = 0; i < pairs.size(); ++i) {
        Pair p = pairs[i];
        bool open =
            forward(p, fds[1 + 2 * i].revents, true) && forward(p, fds[2 + 2 * i].revents, false);
        if (open && cuts_done_ < cuts_ && p.sent >= cut_after_) {
          open = false;  // mid-transfer: both ends just see the link go
          ++cuts_done_;
        }
        if (open) {
          kept.push_back(p);
        } else {
          ::close(p.client);
          ::close(p.server);
        }
      }
      pairs = kept;
      if (fds[0].revents & POLLIN) accept_one(pairs);
    }
    for (const Pair& p : pairs) {
      ::close(p.client);
      ::close(p.server);
    }
  }

  void accept_one(std::vector<Pair>& pairs) {
    int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    if (down_ || (then_down_ && cuts_done_ >= cuts_)) {
      ::close(client);
      return;
    }
    int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(target_port_));
    if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(client);
      ::close(server);
      return;
    }
    pairs.push_back({client, server, 0});
  }

  // False when that side closed.
  static bool forward(Pair& p, short revents, bool from_client) {
    if (!(revents & (POLLIN | POLLHUP | POLLERR))) return true;
    char buffer[16384];
    ssize_t n = ::read(from_client ? p.client : p.server, buffer, sizeof buffer);
    if (n <= 0) return false;
    int to = from_client ? p.server : p.client;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(to, buffer + done, static_cast<size_t>(n - done));
      if (w <= 0) return false;
      done += w;
    }
    if (from_client) p.sent += static_cast<size_t>(n);
    return true;
  }

  int target_port_;
  size_t cut_after_;
  int cuts_;
  bool then_down_;
  std::atomic<bool> down_{false};
  std::atomic<int> cuts_done_{0};
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The test server's URL with its port replaced by `port` (and its schema kept).
std::string through_port(const std::string& url, int port) {
  std::smatch m;
  std::regex host_port(R"(@127\.0\.0\.1:(\d+)/)");
  if (!std::regex_search(url, m, host_port)) throw std::runtime_error("unexpected URL " + url);
  return m.prefix().str() + "@127.0.0.1:" + std::to_string(port) + "/" + m.suffix().str();
}

int port_of(const std::string& url) {
  std::smatch m;
  std::regex host_port(R"(@127\.0\.0\.1:(\d+)/)");
  if (!std::regex_search(url, m, host_port)) throw std::runtime_error("unexpected URL " + url);
  return std::stoi(m[1].str());
}

TEST_F(SyncTest, AConnectionCutMidTransferIsResumed) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 40);
  {
    // Two cuts, each after ~60 KB sent (some twenty documents): the sync
    // reconnects and completes in one run.
    CuttingProxy proxy(port_of(central->arg()), 60000, 2);
    RunResult r = sync(station, through_port(central->arg(), proxy.port()), true);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(proxy.cuts_done(), 2);
    json counts = json::parse(r.out);
    EXPECT_EQ(counts["sent"].get<int>() + counts["already"].get<int>(), 40) << r.out;
  }
  expect_whole({station});
}

TEST_F(SyncTest, ALinkThatStaysDownExits2AndTheRerunSendsTheRest) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 30);
  RunResult r;
  {
    // Cut once, then down: the sync gives up after its reconnects (about
    // 7 s of backoff) with exit 2.
    CuttingProxy proxy(port_of(central->arg()), 30000, 1, true);
    r = sync(station, through_port(central->arg(), proxy.port()));
  }
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("sohoa: "), std::string::npos) << r.err;
  int partial = std::stoi(postgres_exec(central->arg(), "SELECT count(*) FROM documents"));
  EXPECT_GT(partial, 0);
  EXPECT_LT(partial, 30);
  RunResult rest = sync(station, central->arg(), true);
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  json counts = json::parse(rest.out);
  EXPECT_EQ(counts["already"].get<int>(), partial) << rest.out;
  EXPECT_EQ(counts["sent"].get<int>(), 30 - partial) << rest.out;
  expect_whole({station});
}

// Stations that share some documents (the same paper scanned at two
// communes) sync at the same moment: nothing lost, nothing doubled.
void concurrent_stations(SyncTest& t, const fs::path& dir, int stations,
                         const std::string& central_url) {
  std::vector<fs::path> paths;
  for (int i = 0; i < stations; ++i) {
    paths.push_back(make_station(dir, "station-" + std::to_string(i), i * 15, i * 15 + 25));
  }
  std::vector<RunResult> results(static_cast<size_t>(stations));
  std::vector<std::thread> threads;
  for (int i = 0; i < stations; ++i) {
    threads.emplace_back([&, i] {
      results[static_cast<size_t>(i)] =
          run({sohoa::testing::sohoa_bin(), "sync", "--db", paths[static_cast<size_t>(i)].string(),
               "--to", central_url, "--json"});
    });
  }
  for (auto& th : threads) th.join();
  int sent = 0;
  for (const RunResult& r : results) {
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json c = json::parse(r.out);
    EXPECT_EQ(c["sent"].get<int>() + c["already"].get<int>(), 25) << r.out;
    sent += c["sent"].get<int>();
  }
  EXPECT_EQ(sent, stations * 15 + 10);  // the union of [0, 15 * stations + 10)
  (void)t;
}

TEST_F(SyncTest, TwoStationsAtOnce) {
  concurrent_stations(*this, dir.path(), 2, central->arg());
  std::vector<fs::path> paths = {dir / "station-0.db", dir / "station-1.db"};
  expect_whole(paths);
}

TEST_F(SyncTest, FourStationsAtOnce) {
  concurrent_stations(*this, dir.path(), 4, central->arg());
  std::vector<fs::path> paths;
  for (int i = 0; i < 4; ++i) paths.push_back(dir / ("station-" + std::to_string(i) + ".db"));
  expect_whole(paths);
}

// build/sohoa with stdout and stderr into files, for long-running commands.
pid_t spawn_logged(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, cargs[0], &actions, nullptr, cargs.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Polls `done` every 100 ms for at most `limit`; false when it never held.
template <typename F>
bool eventually(F&& done, std::chrono::seconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

// The exit code of `pid`, or -1 (after a SIGKILL) when it has not exited
// within `limit`.
int exit_code_of(pid_t pid, std::chrono::seconds limit) {
  int status = 0;
  bool exited = eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, limit);
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// `watch --sync-to URL` on the real binary: the centre cannot be reached at
// first (the proxy in front of it refuses); the watch keeps ingesting and
// says it will retry; once the link is up, each document arrives once.
TEST_F(SyncTest, WatchKeepsIngestingWhileTheCentreIsDownThenSyncsEachDocumentOnce) {
  std::string station = (dir / "station.db").string();
  sohoa::testing::create_database(station);
  std::vector<fs::path> scans =
      sohoa::testing::generate_scans(dir / "gen", {.count = 3, .seed = 16, .prefix = "scan"});
  ASSERT_EQ(scans.size(), 3u);
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
  bool rest = first && eventually([&] { return done(scans[1]) && done(scans[2]); },
                                  std::chrono::seconds(120));
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
  // The one sync that got through sent all three; nothing was doubled.
  EXPECT_NE(log().find(": sent 3, already there 0, failed 0"), std::string::npos) << log();
  EXPECT_EQ(postgres_exec(central->arg(), "SELECT count(*) FROM documents"), "3");
  RunResult again = sync(station, central->arg(), true);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "{\"sent\":0,\"already\":3,\"failed\":0}\n");
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
  // 120 documents each, 40 of them shared: 200 in all.
  std::vector<fs::path> stations = {make_station(dir.path(), "station-0", 0, 120),
                                    make_station(dir.path(), "station-1", 80, 200)};
  std::atomic<bool> stop{false};
  ReaderLog progress, search;
  std::thread progress_reader([&] { read_centre_until(central->arg(), false, stop, progress); });
  std::thread search_reader([&] { read_centre_until(central->arg(), true, stop, search); });
  std::vector<RunResult> results(stations.size());
  std::vector<std::thread> syncs;
  for (size_t i = 0; i < stations.size(); ++i) {
    syncs.emplace_back([&, i] { results[i] = sync(stations[i], central->arg(), true); });
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
  EXPECT_EQ(sent, 200);
  expect_steady(progress, 200, "progress");
  expect_steady(search, 200, "search");
  EXPECT_FALSE(search.doubled);
  expect_whole(stations);
}

}  // namespace
