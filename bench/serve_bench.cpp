// sohoa serve under load: 20 concurrent clients on loopback against a real
// `sohoa serve` over a database of N documents (with page text) and N
// register rows, generated here once and kept in $SOHOA_BENCH_DIR. Prints
// search p50/p95, document page and dashboard latencies, errors, and the
// server's resident memory at the start, middle and end of the run.
// Usage: build/serve_bench [--docs N] [--requests N]   (defaults 200000, 10000)
// The target is 1,000,000 documents; building that database takes
// about an hour here, so the default is smaller: pass --docs 1000000.
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_data.h"
#include "registry/units_import.h"
#include "storage/database.h"
#include "tests/support/test_support.h"
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
  auto path = sohoa::bench::work_dir() / ("serve2-" + std::to_string(docs) + ".db");
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
  for (int64_t i = 0; i < docs; ++i) {
    db->store_document(synthetic_document(i));
    if (i % 50000 == 49999) std::cerr << "  stored " << i + 1 << " documents\n";
  }
  db->add_user({"bench", "viewer", "", sohoa::web::hash_password(kPassword), ""});
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
  std::string bin = sohoa::testing::sohoa_bin();
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

struct Samples {
  std::mutex mutex;
  std::vector<double> search, document, dashboard;
  std::atomic<int> errors{0};
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  int64_t docs = 200000;
  int requests = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--docs") docs = std::stoll(argv[i + 1]);
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
  long rss_start = rss_kb(server.pid), rss_mid = 0;
  auto start = Clock::now();
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", server.port);
      c.set_keep_alive(true);
      c.set_read_timeout(60, 0);
      std::mt19937 rng(static_cast<unsigned>(t) * 7919 + 1);
      const char* folded[] = {"quyet dinh", "giay phep xay dung", "hoa dong",      "nguyen van",
                              "khai sinh",  "phu dien",           "tran thi minh", "son thanh"};
      for (int n; (n = issued++) < requests;) {
        if (n == requests / 2) rss_mid = rss_kb(server.pid);
        int kind = n % 10;  // 8 searches : 1 document page : 1 dashboard
        std::string path;
        if (kind < 8) {
          path = "/api/v1/search?q=" + std::string(folded[rng() % 8]) + "&limit=20";
        } else if (kind == 8) {
          path = "/documents/" + std::to_string(1 + rng() % docs);
        } else {
          path = "/";
        }
        auto t0 = Clock::now();
        auto r = c.Get(path.c_str(), cookie);
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!r || r->status != 200) {
          ++samples.errors;
          continue;
        }
        std::lock_guard lock(samples.mutex);
        (kind < 8    ? samples.search
         : kind == 8 ? samples.document
                     : samples.dashboard)
            .push_back(ms);
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
  std::printf("  search    (%5zu)  p50 %7.1f ms  p95 %7.1f ms  (target p95 <= 100 ms)\n",
              samples.search.size(), percentile(samples.search, 0.5),
              percentile(samples.search, 0.95));
  std::printf("  document  (%5zu)  p50 %7.1f ms  p95 %7.1f ms  (target <= 150 ms)\n",
              samples.document.size(), percentile(samples.document, 0.5),
              percentile(samples.document, 0.95));
  std::printf("  dashboard (%5zu)  p50 %7.1f ms  p95 %7.1f ms  (target <= 300 ms)\n",
              samples.dashboard.size(), percentile(samples.dashboard, 0.5),
              percentile(samples.dashboard, 0.95));
  std::printf("  errors %d\n", samples.errors.load());
  std::printf("  server RSS: start %ld MB, middle %ld MB, end %ld MB\n", rss_start / 1024,
              rss_mid / 1024, rss_end / 1024);
  return samples.errors.load() == 0 ? 0 : 1;
}
