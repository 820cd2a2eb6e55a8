// sohoa serve under load: 20 concurrent clients on loopback against a real
// `sohoa serve` over a database of N documents (with page text) and N
// register rows, generated here once (bulk insert through storage/, no OCR)
// and kept in $SOHOA_BENCH_DIR. Requests: 90% searches (the mix is at
// next_request), 5% document pages, 5% dashboards. Prints p50/p95/p99 per route, errors, the
// server's resident memory at the start, middle and end of the run, and what
// each route costs without the server's caches (first request, or after a
// write).
// Usage: build/serve_bench [--scale N] [--requests N]   (defaults 100000, 10000)
// $SERVE_BENCH_SOHOA names another sohoa binary to serve (say, an older
// build, for a before/after on the same database and requests).
// The target is --scale 1000000 (the database takes ~6 min to build).
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_data.h"
#include "registry/progress_report.h"
#include "registry/units_import.h"
#include "storage/database.h"
#include "tests/support/test_support.h"
#include "text/vntext.h"
#include "web/auth.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kClients = 20;
constexpr const char* kPassword = "bench password 2022";

// Page text like a real result's: the type's fixed wording, one citizen's
// name (20 x 20 x 40 combinations) and a hamlet, so a name query is as
// selective as in an office's records and a type query as broad.
const std::vector<std::string> kFamily = {
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",     "Võ",  "Đặng",
    "Bùi",    "Đỗ",   "Hồ", "Ngô",  "Dương", "Lý",    "Đoàn", "Trương", "Mai", "Tạ"};
const std::vector<std::string> kMiddle = {"Văn", "Thị",  "Minh", "Quốc", "Thanh", "Ngọc", "Hữu",
                                          "Đức", "Công", "Kim",  "Xuân", "Hồng",  "Gia",  "Bảo",
                                          "Anh", "Tấn",  "Phú",  "Thu",  "Hải",   "Trọng"};
const std::vector<std::string> kGiven = {
    "An",   "Bình", "Cường", "Dũng",  "Giang", "Hạnh", "Hùng", "Khánh", "Lan",   "Long",
    "Mai",  "Nam",  "Nga",   "Phong", "Quân",  "Sơn",  "Tâm",  "Thảo",  "Trung", "Tuấn",
    "Uyên", "Vinh", "Xuân",  "Yến",   "Bích",  "Châu", "Đào",  "Hiền",  "Hòa",   "Kiên",
    "Lộc",  "Minh", "Nhung", "Oanh",  "Phúc",  "Quế",  "Sang", "Tín",   "Vân",   "Vy"};
const std::vector<std::string> kHamlet = {"Phú Diễn", "Mỹ Thạnh", "Mỹ Phú",     "Phước Mỹ",
                                          "Lạc Chỉ",  "Phú Thứ",  "Bình Thắng", "Đông Bình"};
const std::vector<std::string> kBody = {
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Xét đề nghị của công chức Tư pháp - Hộ tịch;",
    "Điều 1. Cấp cho",
    "nơi cư trú: thôn",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "Nơi nhận: Như Điều 2; Lưu: VT."};

sohoa::storage::NewDocument synthetic_document(int64_t i) {
  sohoa::bench::SyntheticRow row = sohoa::bench::synthetic_row(i);
  const auto& unit = sohoa::bench::units()[static_cast<size_t>(row.unit)];
  std::mt19937_64 rng(static_cast<uint64_t>(i) + 17);
  sohoa::storage::NewDocument d;
  char sha[65];
  std::snprintf(sha, sizeof sha, "%064lld", static_cast<long long>(i));
  d.sha256 = sha;
  d.source = "scans/" + std::to_string(i) + ".tif";
  d.unit = d.issuer_unit = unit.unit;
  d.level = std::string(unit.unit) == "tay-hoa" ? "huyen" : "xa";
  d.digitized_at = "2025-01-15";
  d.status = "ok";
  std::string type = i % 3 == 0   ? "QUYẾT ĐỊNH"
                     : i % 3 == 1 ? "GIẤY PHÉP XÂY DỰNG"
                                  : "GIẤY KHAI SINH";
  d.fields = {{"doc_type", type, 0.9},
              {"doc_number", row.number, 0.9},
              {"issued_date", row.issued, 0.9},
              {"citizen_ids", "[\"0540" + std::to_string(10000000 + i % 89999999) + "\"]", 0.9}};
  sohoa::storage::PageRecord p;
  p.page = 1;
  p.width = 2480;
  p.height = 3508;
  p.dpi = 300;
  p.ocr_confidence = 90;
  p.text = type + "\nSố: " + row.number + "\n";
  std::string name = kFamily[rng() % kFamily.size()] + " " + kMiddle[rng() % kMiddle.size()] + " " +
                     kGiven[rng() % kGiven.size()];
  p.text += kBody[0] + "\n" + kBody[1] + "\n" + kBody[2] + " " + name + ", " + kBody[3] + " " +
            kHamlet[rng() % kHamlet.size()] + ".\n" + kBody[4] + "\n" + kBody[5] + "\n";
  d.pages.push_back(p);
  return d;
}

std::filesystem::path bench_database(int64_t docs) {
  auto path = sohoa::bench::work_dir() / ("serve3-" + std::to_string(docs) + ".db");
  auto ready = path;
  ready += ".ready";
  if (std::filesystem::exists(ready)) return path;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  auto start = Clock::now();
  auto db = sohoa::storage::Database::open(path);
  sohoa::registry::import_units(*db, sohoa::bench::units_csv());
  int64_t next = 0;
  db->upsert_register_rows([&](sohoa::storage::RegisterRow& r) {
    if (next >= docs) return false;
    sohoa::bench::SyntheticRow row = sohoa::bench::synthetic_row(next++);
    r = {sohoa::bench::units()[static_cast<size_t>(row.unit)].unit,
         row.number,
         row.issued,
         row.valid_until,
         "",
         "",
         "",
         ""};
    return true;
  });
  std::cerr << "  register: " << docs << " rows in "
            << std::chrono::duration<double>(Clock::now() - start).count() << " s\n";
  // One transaction for all documents: the store as ingest would leave it
  // (pages, fields, search rows, register matches), without OCR.
  int64_t made = 0;
  db->store_documents([&](sohoa::storage::NewDocument& d) {
    if (made >= docs) return false;
    d = synthetic_document(made++);
    if (made % 100000 == 0) {
      std::cerr << "  stored " << made << " documents, "
                << std::chrono::duration<double>(Clock::now() - start).count() << " s\n";
    }
    return true;
  });
  db->add_user({"bench", "viewer", "", sohoa::web::hash_password(kPassword), ""});
  db.reset();
  std::ofstream(ready) << "ok\n";
  std::cerr << "built " << path << " in "
            << std::chrono::duration<double>(Clock::now() - start).count() << " s\n";
  return path;
}

struct Server {
  pid_t pid = 0;
  int port = 0;
};

Server start_server(const std::filesystem::path& db) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const char* other = std::getenv("SERVE_BENCH_SOHOA");
  std::string bin = other != nullptr && *other ? other : sohoa::testing::sohoa_bin();
  std::vector<std::string> args = {bin, "serve", "--listen", "127.0.0.1:0", "--db", db.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Server s;
  if (posix_spawn(&s.pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot start " + bin);
  }
  close(out[1]);
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  s.port = std::stoi(line.substr(line.rfind(':') + 1));
  return s;
}

long rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Latencies (ms) per route.
struct Samples {
  std::mutex mutex;
  std::map<std::string, std::vector<double>> by_route;
  std::atomic<int> errors{0};
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// What people type, as they type it: half the time with accents, half
// without (folded), a third of the searches with a year. Of the searches:
//   name     4/18  a citizen's full name (one in ~16,000 documents)
//   number   3/18  a document number, "12345/QĐ-UBND" (one document)
//   cccd     2/18  a 12-digit citizen id number (one document, metadata)
//   hamlet   2/18  a hamlet and a given name (one in ~320)
//   type     3/18  a document type (a third of the documents, in the
//                  metadata; "quyết định" is in every body too)
//   common   2/18  words in every document: "thôn", "căn cứ luật", ...
//   phrase   1/18  a quoted hamlet or name, "phú diễn"
//   missing  1/18  words in no document: "khiếu nại"
struct Request {
  std::string route;
  std::string path;
};

std::string url_encoded(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

Request next_request(std::mt19937_64& rng, int64_t docs) {
  int kind = static_cast<int>(rng() % 20);
  if (kind == 18) return {"document", "/documents/" + std::to_string(1 + rng() % docs)};
  if (kind == 19) return {"dashboard", "/"};
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  auto name = [&] { return pick(kFamily) + " " + pick(kMiddle) + " " + pick(kGiven); };
  std::string q, what;
  if (kind < 4) {
    what = "name";
    q = name();
  } else if (kind < 7) {
    what = "number";
    q = sohoa::bench::synthetic_row(static_cast<int64_t>(rng() % docs)).number;
  } else if (kind < 9) {
    what = "cccd";
    q = "0540" + std::to_string(10000000 + static_cast<int64_t>(rng() % docs) % 89999999);
  } else if (kind < 11) {
    what = "hamlet";
    q = pick(kHamlet) + " " + pick(kGiven);
  } else if (kind < 14) {
    what = "type";
    q = pick({"quyết định", "giấy phép xây dựng", "giấy khai sinh"});
  } else if (kind < 16) {
    what = "common";
    q = pick({"thôn", "căn cứ luật", "điều", "hiệu lực", "hộ tịch"});
  } else if (kind < 17) {
    what = "phrase";
    q = "\"" + (rng() % 2 == 0 ? pick(kHamlet) : name()) + "\"";
  } else {
    what = "missing";
    q = pick({"khiếu nại", "đất đai thu hồi"});
  }
  if (rng() % 2 == 0) q = sohoa::text::fold(q);
  std::string path = "/api/v1/search?q=" + url_encoded(q) + "&limit=20";
  if (rng() % 3 == 0) path += "&year=" + std::to_string(2020 + rng() % 6);
  return {"search " + what, path};
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// The work behind each route without the server's caches, in this process:
// what a request costs the first time, or after any write.
void print_uncached(const std::filesystem::path& path, int64_t docs) {
  auto db = sohoa::storage::Database::open(path);
  std::printf("  uncached, one connection in process (median of 3):\n");
  auto time3 = [](const std::function<void()>& f) {
    std::vector<double> t;
    for (int i = 0; i < 3; ++i) {
      auto t0 = Clock::now();
      f();
      t.push_back(ms_since(t0));
    }
    return percentile(t, 0.5);
  };
  for (const char* q : {"quyet dinh", "quyết định", "giay phep xay dung", "khai sinh", "thôn",
                        "phu dien", "nguyen van an", "Nguyễn Văn An", "12345/QĐ-UBND",
                        "054010012345", "\"phú diễn\"", "khiếu nại"}) {
    sohoa::storage::SearchQuery query;
    query.text = q;
    size_t hits = 0;
    double ms = time3([&] { hits = db->search(query).size(); });
    std::printf("    search %-22s %8.1f ms  (%zu hits)\n", ("\"" + std::string(q) + "\"").c_str(),
                ms, hits);
  }
  // A third of the bench's searches name a year, which most matches fail.
  for (const char* q : {"thôn", "phu dien an", "nguyen van an", "Nguyễn Văn An", "12345/QĐ-UBND"}) {
    sohoa::storage::SearchQuery query;
    query.text = q;
    query.year = 2023;
    size_t hits = 0;
    double ms = time3([&] { hits = db->search(query).size(); });
    std::printf("    search %-22s %8.1f ms  (%zu hits, year 2023)\n",
                ("\"" + std::string(q) + "\"").c_str(), ms, hits);
  }
  double doc_ms = time3([&] { db->document(1 + docs / 2); });
  std::printf("    document(id)                  %8.1f ms\n", doc_ms);
  for (const char* by : {"level", "unit"}) {
    sohoa::registry::ProgressOptions o;
    o.by = by;
    double ms = time3([&] { sohoa::registry::compute_progress(*db, o); });
    std::printf("    progress --by %-15s %8.1f ms\n", by, ms);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int64_t docs = 100000;
  int requests = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--docs" || a == "--scale") docs = std::stoll(argv[i + 1]);
    if (a == "--requests") requests = std::stoi(argv[i + 1]);
  }
  auto db = bench_database(docs);
  Server server = start_server(db);
  httplib::Client login("127.0.0.1", server.port);
  auto res = login.Post("/api/v1/login",
                        std::string("{\"user\":\"bench\",\"password\":\"") + kPassword + "\"}",
                        "application/json");
  if (!res || res->status != 200) {
    std::cerr << "login failed\n";
    kill(server.pid, SIGTERM);
    return 1;
  }
  std::string set_cookie = res->get_header_value("Set-Cookie");
  httplib::Headers cookie = {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}};

  Samples samples;
  std::atomic<int> issued{0};
  long rss_start = rss_kb(server.pid);
  std::atomic<long> rss_mid{0};
  auto start = Clock::now();
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", server.port);
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);
      c.set_read_timeout(120, 0);
      std::mt19937_64 rng(static_cast<uint64_t>(t) * 7919 + 1);
      for (int n; (n = issued++) < requests;) {
        if (n == requests / 2) rss_mid = rss_kb(server.pid);
        Request r = next_request(rng, docs);
        auto t0 = Clock::now();
        auto reply = c.Get(r.path.c_str(), cookie);
        double ms = ms_since(t0);
        if (!reply || reply->status != 200) {
          ++samples.errors;
          std::cerr << "error: " << r.path << ": " << (reply ? reply->status : -1) << "\n";
          continue;
        }
        std::lock_guard lock(samples.mutex);
        samples.by_route[r.route].push_back(ms);
      }
    });
  }
  for (auto& c : clients) c.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  long rss_end = rss_kb(server.pid);
  kill(server.pid, SIGTERM);
  waitpid(server.pid, nullptr, 0);

  std::printf(
      "serve_bench: %lld documents, %lld register rows, %d clients, %d requests in %.1f s "
      "(%.0f/s)\n",
      static_cast<long long>(docs), static_cast<long long>(docs), kClients, requests, seconds,
      requests / seconds);
  const std::map<std::string, std::string> targets = {
      {"search", "p95 <= 100 ms"}, {"document", "<= 150 ms"}, {"dashboard", "<= 300 ms"}};
  std::vector<double> all_searches;
  for (const auto& [route, ms] : samples.by_route) {
    if (route.rfind("search ", 0) == 0)
      all_searches.insert(all_searches.end(), ms.begin(), ms.end());
  }
  samples.by_route["search"] = all_searches;
  for (const auto& [route, ms] : samples.by_route) {
    std::string target = route.rfind("search", 0) == 0 ? "p95 <= 100 ms" : targets.at(route);
    std::printf(
        "  %-15s (%5zu)  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  max %7.1f ms  (target %s)\n",
        route.c_str(), ms.size(), percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 0.99),
        percentile(ms, 1.0), target.c_str());
  }
  std::printf("  errors %d\n", samples.errors.load());
  std::printf("  server RSS: start %ld MB, middle %ld MB, end %ld MB\n", rss_start / 1024,
              rss_mid.load() / 1024, rss_end / 1024);
  print_uncached(db, docs);
  return samples.errors.load() == 0 ? 0 : 1;
}
