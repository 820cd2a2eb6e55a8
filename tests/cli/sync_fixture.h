// The fixture the sync test programs share (sync_test, sync_live_test):
// generated station databases, the central store as a fresh schema of the
// $SOHOA_TEST_POSTGRES server, the checks that every document is there once
// and whole, and a loopback TCP proxy to break the link. Header-only with
// internal linkage: included by those programs only.
#pragma once

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
#include <cstdint>
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

inline std::string sha_of(const std::string& bytes) {
  sohoa::storage::Sha256 h;
  h.update(bytes);
  return h.hex();
}

// A station's document `n` (the same n gives the same bytes at any station:
// the same paper scanned twice) with an original of a few kilobytes.
inline NewDocument station_document(int n, const std::string& original_sha,
                                    const std::string& station) {
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

inline std::string original_bytes(int n) {
  std::mt19937 rng(static_cast<unsigned>(n) * 7919u + 1u);
  std::string bytes = "\x89PNG\r\n\x1a\n";
  bytes.resize(2048 + static_cast<size_t>(n % 5) * 1024);
  for (size_t i = 8; i < bytes.size(); ++i) bytes[i] = static_cast<char>(rng());
  return bytes;
}

// A station database `name` holding documents [from, to) with their
// originals archived; every 5th carries a correction made there.
inline fs::path make_station(const fs::path& dir, const std::string& name, int from, int to) {
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

inline std::string integrity_of_sqlite(const fs::path& path) {
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

inline pid_t spawn_quiet(const std::vector<std::string>& argv) {
  return sohoa::testing::spawn_to_files(argv, "/dev/null", "/dev/null");
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
  // Each chunk from a client waits `delay` before it goes on: a slow link.
  void set_delay(std::chrono::milliseconds delay) { delay_ms_ = static_cast<int>(delay.count()); }

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
  bool forward(Pair& p, short revents, bool from_client) {
    if (!(revents & (POLLIN | POLLHUP | POLLERR))) return true;
    if (from_client && delay_ms_ > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
    }
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
  std::atomic<int> delay_ms_{0};
  std::atomic<int> cuts_done_{0};
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The test server's URL with its port replaced by `port` (and its schema kept).
inline std::string through_port(const std::string& url, int port) {
  std::smatch m;
  std::regex host_port(R"(@127\.0\.0\.1:(\d+)/)");
  if (!std::regex_search(url, m, host_port)) throw std::runtime_error("unexpected URL " + url);
  return m.prefix().str() + "@127.0.0.1:" + std::to_string(port) + "/" + m.suffix().str();
}

inline int port_of(const std::string& url) {
  std::smatch m;
  std::regex host_port(R"(@127\.0\.0\.1:(\d+)/)");
  if (!std::regex_search(url, m, host_port)) throw std::runtime_error("unexpected URL " + url);
  return std::stoi(m[1].str());
}

// Stations that share some documents (the same paper scanned at two
// communes) sync at the same moment: nothing lost, nothing doubled.
inline void concurrent_stations(SyncTest& t, const fs::path& dir, int stations,
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

// build/sohoa with stdout and stderr into files, for long-running commands.
inline pid_t spawn_logged(const std::vector<std::string>& argv, const fs::path& out,
                          const fs::path& err) {
  return sohoa::testing::spawn_to_files(argv, out, err);
}

inline size_t count_of(const std::string& text, const std::string& what) {
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
inline int exit_code_of(pid_t pid, std::chrono::seconds limit) {
  int status = 0;
  bool exited = eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, limit);
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace
