// The central store at province scale (issue 16), on a real PostgreSQL
// server: sync throughput from stations (documents/s; target >= 200/s into
// a local server), progress per unit over the province's store (target
// < 1 s at 200,000 documents and 1,000,000 register rows) and search p95
// (target < 100 ms). Prints what it measured and at which scale.
//
// Run: PG_TEMP_DURABLE=1 scripts/pg-temp build/sync_bench
// Scale (environment): SYNC_BENCH_STATIONS (4), SYNC_BENCH_DOCS per station
// (500), SYNC_BENCH_PROVINCE_DOCS (20000), SYNC_BENCH_REGISTER_ROWS (100000);
// the issue's full scale is 100 x 2000, 200000 and 1000000. Also
// SYNC_BENCH_SEQUENTIAL=0 (stations only all at once) and
// SYNC_BENCH_PER_TRANSACTION (documents per transaction filling the
// province store). Each figure is printed with the load average.
// SYNC_BENCH_SEARCH_ONLY=N measures only search, over N documents
// (SYNC_BENCH_PAUSE=1 then keeps that store 10 minutes, and
// SYNC_BENCH_SEARCH_URL=URL measures search again on it).
// SYNC_BENCH_BULK=1 measures only progress and search, on a province store
// filled through storage/ (default 200000 documents, 1000000 rows, on
// SYNC_BENCH_BULK_THREADS=4 connections; about 20 minutes on a loaded
// 2-core machine, against hours synced).
// SYNC_BENCH_ON_CENTRE=1 measures search on the centre the stations just
// filled (all at once), SYNC_BENCH_PROVINCE_DOCS=0 skips the province
// store, SYNC_BENCH_PAUSE_MINUTES (10) is how long SYNC_BENCH_PAUSE keeps a
// store. Every search figure is taken twice on the same store: one query
// per tier only (SOHOA_PG_SEARCH_WINDOW=0, as before the candidate and
// newest-documents tiers) and as the store searches by default.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "bench/bench_data.h"
#include "pipeline/station_sync.h"
#include "registry/progress_report.h"
#include "registry/register_import.h"
#include "registry/units_import.h"
#include "storage/database.h"
#include "storage/file_hash.h"
#include "tests/support/test_store.h"
#include "tests/support/test_support.h"
#include "text/vntext.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int64_t env_int(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoll(v) : fallback;
}

// The machine's load average (1, 5, 15 min), printed with each figure: the
// machine is shared, and a figure means little without it.
std::string load() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return " [load " + one + " " + five + " " + fifteen + "]";
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> words = {
      "quyết", "định", "giấy",   "phép",   "xây",   "dựng", "nhà",   "ở",    "đất",  "đai",
      "hộ",    "tịch", "khai",   "sinh",   "kết",   "hôn",  "chứng", "thực", "bản",  "sao",
      "Hòa",   "Đồng", "Thịnh",  "Sơn",    "Thành", "Tây",  "Phú",   "Mỹ",   "ủy",   "ban",
      "nhân",  "dân",  "xã",     "huyện",  "thông", "báo",  "đăng",  "ký",   "biến", "động",
      "cấp",   "lại",  "chuyển", "nhượng", "quyền", "sử"};
  return words;
}

std::string page_text(int64_t i) {
  std::mt19937_64 rng(static_cast<uint64_t>(i) * 2654435761u + 7);
  std::string text = "ỦY BAN NHÂN DÂN XÃ\nQUYẾT ĐỊNH số " + std::to_string(i) + "\n";
  for (int w = 0; w < 120; ++w) {
    text += vocabulary()[rng() % vocabulary().size()];
    text += w % 15 == 14 ? ".\n" : " ";
  }
  return text;
}

sohoa::storage::NewDocument synthetic_document(int64_t i, const std::string& sha, bool with_page) {
  sohoa::bench::SyntheticRow row = sohoa::bench::synthetic_row(i);
  const auto& unit = sohoa::bench::units()[static_cast<size_t>(row.unit)];
  sohoa::storage::NewDocument d;
  d.sha256 = sha;
  d.archive_sha256 = sha;
  d.source = "scans/" + std::to_string(i) + ".png";
  d.issuer_unit = i % 5 == 0 ? unit.successor : unit.unit;
  d.unit = d.issuer_unit;
  d.level = std::string(unit.unit) == "tay-hoa" ? "huyen" : "xa";
  d.digitized_at = "2025-12-" + std::to_string(10 + i % 18);
  d.status = i % 20 == 0 ? "review" : "ok";
  d.fields = {{"doc_type", "QUYẾT ĐỊNH", 0.9},
              {"doc_number", i % 100 == 0 ? "X" + row.number : row.number, 0.9},
              {"issued_date", row.issued, 0.9}};
  if (with_page) {
    sohoa::storage::PageRecord p;
    p.page = 1;
    p.width = 2480;
    p.height = 3508;
    p.dpi = 300;
    p.ocr_confidence = 90;
    p.text = page_text(i);
    p.layout_json = R"({"blocks":[]})";
    d.pages = {p};
  }
  return d;
}

std::string small_original(int64_t i) {
  std::mt19937_64 rng(static_cast<uint64_t>(i) + 99);
  std::string bytes(4096, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  return bytes;
}

std::string sha_of(const std::string& bytes) {
  sohoa::storage::Sha256 h;
  h.update(bytes);
  return h.hex();
}

fs::path make_station(const fs::path& dir, int station, int64_t docs) {
  fs::path path = dir / ("station-" + std::to_string(station) + ".db");
  auto db = sohoa::storage::Database::open(path);
  sohoa::registry::import_units(*db, sohoa::bench::units_csv());
  for (int64_t k = 0; k < docs; ++k) {
    int64_t i = station * docs + k + 1;
    std::string bytes = small_original(i);
    std::string sha = sha_of(bytes);
    db->put_original_bytes(bytes, sha);
    db->store_document(synthetic_document(i, sha, true));
  }
  return path;
}

void search_before_after(const std::string& url, int64_t documents);
void search_p95(sohoa::storage::Database& db, int64_t documents);
void pause(const std::string& url);

void sync_throughput(const fs::path& dir, int stations, int64_t docs) {
  std::vector<fs::path> paths;
  auto built = Clock::now();
  for (int s = 0; s < stations; ++s) paths.push_back(make_station(dir, s, docs));
  std::cout << "stations: " << stations << " x " << docs << " documents (4 KB originals, one "
            << "page of text each) built in " << seconds_since(built) << " s\n";

  // SYNC_BENCH_SEQUENTIAL=0: only all at once (full scale takes long).
  std::vector<int> modes = {stations};
  if (env_int("SYNC_BENCH_SEQUENTIAL", 1) != 0) modes.insert(modes.begin(), 1);
  for (int parallel : modes) {
    auto centre = sohoa::testing::TestStore::make(sohoa::testing::StoreKind::kPostgres, dir);
    sohoa::registry::import_units(*sohoa::storage::Database::open(centre->arg()),
                                  sohoa::bench::units_csv());
    auto start = Clock::now();
    int64_t sent = 0;
    std::mutex mutex;
    auto one = [&](const fs::path& station) {
      sohoa::pipeline::SyncOptions o;
      o.station_db = station;
      o.central_url = centre->arg();
      auto counts = sohoa::pipeline::sync_station(o);
      std::lock_guard<std::mutex> lock(mutex);
      sent += counts.sent;
    };
    if (parallel == 1) {
      for (const fs::path& p : paths) one(p);
    } else {
      std::vector<std::thread> threads;
      for (const fs::path& p : paths) threads.emplace_back(one, p);
      for (auto& t : threads) t.join();
    }
    double s = seconds_since(start);
    std::cout << "sync: " << sent << " documents from " << stations << " stations, "
              << (parallel == 1 ? "one after another" : "all at once") << ": " << s << " s, "
              << static_cast<int64_t>(sent / s) << " documents/s (target >= 200)" << load() << "\n";
    auto rerun = Clock::now();
    one(paths[0]);
    std::cout << "sync rerun of one station (" << docs
              << " already there): " << seconds_since(rerun) << " s" << load() << "\n";
    if (parallel == modes.back() && env_int("SYNC_BENCH_ON_CENTRE", 0) != 0) {
      // The statistics autovacuum gathers soon after: the planner needs
      // them to tell a rare word from a common one.
      sohoa::testing::postgres_exec(centre->arg(), "ANALYZE");
      search_before_after(centre->arg(), sent);
      pause(centre->arg());
    }
  }
}

// SYNC_BENCH_PAUSE: keeps the store SYNC_BENCH_PAUSE_MINUTES (10), to
// EXPLAIN by hand or search it again (SYNC_BENCH_SEARCH_URL) meanwhile.
void pause(const std::string& url) {
  if (std::getenv("SYNC_BENCH_PAUSE") == nullptr) return;
  int64_t minutes = env_int("SYNC_BENCH_PAUSE_MINUTES", 10);
  std::cout << "store kept for " << minutes << " min at " << url << std::endl;
  std::this_thread::sleep_for(std::chrono::minutes(minutes));
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Progress by level and by unit over the whole store, 5 runs each.
void time_progress(sohoa::storage::Database& db, int64_t rows, int64_t documents) {
  for (const char* by : {"level", "unit"}) {
    std::vector<double> ms;
    for (int run = 0; run < 5; ++run) {
      auto t = Clock::now();
      sohoa::registry::ProgressOptions o;
      o.by = by;
      o.period = "year";
      o.as_of = "2025-12-31";
      auto report = sohoa::registry::compute_progress(db, o);
      ms.push_back(seconds_since(t) * 1000);
      if (run == 0) {
        int64_t digitized = 0;
        for (const auto& r : report.rows) digitized += r.year == 2025 ? r.digitized : 0;
        std::cout << "progress --by " << by << ": " << report.rows.size() << " rows, " << digitized
                  << " digitized in 2025, " << report.unmatched.size() << " unmatched\n";
      }
    }
    std::cout << "progress --by " << by << " over " << rows << " register rows and " << documents
              << " documents: median " << percentile(ms, 0.5) << " ms, worst "
              << percentile(ms, 1.0) << " ms (target < 1000 ms)" << load() << std::endl;
  }
}

void province(const fs::path& dir, int64_t documents, int64_t rows) {
  auto centre = sohoa::testing::TestStore::make(sohoa::testing::StoreKind::kPostgres, dir);
  auto db = sohoa::storage::Database::open(centre->arg());
  auto start = Clock::now();
  sohoa::registry::import_units(*db, sohoa::bench::units_csv());
  sohoa::registry::import_register(*db, sohoa::bench::register_csv(rows));
  std::cout << "province store: register of " << db->register_size() << " rows imported in "
            << seconds_since(start) << " s\n";
  start = Clock::now();
  // SYNC_BENCH_PER_TRANSACTION (1): documents per transaction, as sync
  // groups them; more makes a full-scale store quicker to fill.
  int64_t per_transaction = std::max<int64_t>(1, env_int("SYNC_BENCH_PER_TRANSACTION", 1));
  for (int64_t i = 1; i <= documents; i += per_transaction) {
    db->in_one_transaction([&] {
      for (int64_t k = i; k < i + per_transaction && k <= documents; ++k) {
        char sha[65];
        std::snprintf(sha, sizeof sha, "%064lld", static_cast<long long>(k));
        db->store_document(synthetic_document(k, sha, true));
      }
    });
  }
  double stored = seconds_since(start);
  std::cout << "province store: " << documents << " documents stored in " << stored << " s ("
            << static_cast<int64_t>(static_cast<double>(documents) / stored) << " documents/s, "
            << per_transaction << " per transaction)" << load() << "\n";
  time_progress(*db, rows, documents);
  search_before_after(centre->arg(), documents);
}

// SYNC_BENCH_BULK=1: the province store without stations: the register
// upserted and the documents stored through storage/ (store_documents,
// 10,000 a transaction), as serve_bench builds its store, so the full scale
// takes minutes, not the hours 200,000 synced documents would. Progress is
// timed at 0 documents and at 1%, 20% and all of them (to see whether it
// grows with the documents), then after VACUUM ANALYZE (what autovacuum
// leaves), with search. SYNC_BENCH_PAUSE=1 then keeps the store 10 minutes.
void province_bulk(const fs::path& dir, int64_t documents, int64_t rows) {
  auto centre = sohoa::testing::TestStore::make(sohoa::testing::StoreKind::kPostgres, dir);
  auto db = sohoa::storage::Database::open(centre->arg());
  auto start = Clock::now();
  sohoa::registry::import_units(*db, sohoa::bench::units_csv());
  int64_t next = 1;
  db->upsert_register_rows([&](sohoa::storage::RegisterRow& r) {
    if (next > rows) return false;
    sohoa::bench::SyntheticRow row = sohoa::bench::synthetic_row(next++);
    r.unit = sohoa::bench::units()[static_cast<size_t>(row.unit)].unit;
    r.doc_number = row.number;
    r.issued_date = row.issued;
    r.valid_until = row.valid_until;
    return true;
  });
  std::cout << "province store: register of " << db->register_size() << " rows upserted in "
            << seconds_since(start) << " s" << load() << std::endl;
  time_progress(*db, rows, 0);
  // SYNC_BENCH_BULK_THREADS (4) connections store at once, each its own
  // transactions of 10,000: on a shared machine one connection spends most
  // of its time waiting to be scheduled between statements.
  int threads = static_cast<int>(std::max<int64_t>(1, env_int("SYNC_BENCH_BULK_THREADS", 4)));
  std::vector<std::unique_ptr<sohoa::storage::Database>> writers;
  for (int w = 0; w < threads; ++w)
    writers.push_back(sohoa::storage::Database::open(centre->arg()));
  int64_t made = 0;
  double storing = 0;
  for (int64_t checkpoint : {documents / 100, documents / 5, documents}) {
    auto t = Clock::now();
    std::mutex mutex;
    auto work = [&](sohoa::storage::Database& writer) {
      for (;;) {
        int64_t from, until;
        {
          std::lock_guard<std::mutex> lock(mutex);
          if (made >= checkpoint) return;
          from = made;
          until = std::min(checkpoint, made + 10000);
          made = until;
        }
        writer.store_documents([&](sohoa::storage::NewDocument& d) {
          if (from >= until) return false;
          ++from;
          char sha[65];
          std::snprintf(sha, sizeof sha, "%064lld", static_cast<long long>(from));
          d = synthetic_document(from, sha, true);
          return true;
        });
      }
    };
    std::vector<std::thread> running;
    for (auto& writer : writers) running.emplace_back(work, std::ref(*writer));
    for (auto& r : running) r.join();
    storing += seconds_since(t);
    std::cout << "province store: " << made << " documents stored in " << storing << " s ("
              << static_cast<int64_t>(static_cast<double>(made) / storing) << " documents/s, "
              << threads << " connections, 10000 per transaction)" << load() << std::endl;
    time_progress(*db, rows, made);
  }
  auto t = Clock::now();
  sohoa::testing::postgres_exec(centre->arg(), "VACUUM ANALYZE");
  std::cout << "VACUUM ANALYZE: " << seconds_since(t) << " s" << load() << std::endl;
  time_progress(*db, rows, made);
  search_before_after(centre->arg(), made);
  pause(centre->arg());
}

// Search p95 over 200 queries, default limit 20, as the CLI asks. The mix,
// half with accents and half folded: a document number "i/QĐ-UBND" (one
// document) 1/4; two vocabulary words (each in most documents) 1/4; those
// as a "phrase" 1/8; a prefix and a word 1/8; "số i" (a number in the
// body, one document) 1/8; words in no document 1/8.
void search_p95(sohoa::storage::Database& db, int64_t documents) {
  std::mt19937 rng(16);
  std::vector<double> ms;
  const auto& words = vocabulary();
  size_t hits = 0;
  const char* kinds[] = {"number", "number", "words",     "words",
                         "phrase", "prefix", "so-number", "missing"};
  std::map<std::string, std::vector<double>> by_kind;
  for (int q = 0; q < 200; ++q) {
    std::string a = words[rng() % words.size()], b = words[rng() % words.size()];
    int64_t i = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(documents));
    sohoa::storage::SearchQuery query;
    switch (q % 8) {
      case 0:
      case 1:
        query.text = sohoa::bench::synthetic_row(i).number;
        break;
      case 2:
      case 3:
        query.text = a + " " + b;
        break;
      case 4:
        query.text = "\"" + a + " " + b + "\"";
        break;
      case 5:
        query.text = sohoa::text::fold(a).substr(0, 3) + "* " + b;
        break;
      case 6:
        query.text = "số " + std::to_string(i);
        break;
      default:
        query.text = rng() % 2 == 0 ? "khiếu nại" : "thu hồi đất";
        break;
    }
    if (q % 16 >= 8) query.text = sohoa::text::fold(query.text);
    auto t = Clock::now();
    hits += db.search(query).size();
    ms.push_back(seconds_since(t) * 1000);
    by_kind[kinds[q % 8]].push_back(ms.back());
  }
  for (const auto& [kind, kind_ms] : by_kind) {
    std::cout << "  search " << kind << ": p50 " << percentile(kind_ms, 0.5) << " ms, p95 "
              << percentile(kind_ms, 0.95) << " ms\n";
  }
  std::cout << "search over " << documents << " documents (200 queries, limit 20, " << hits
            << " hits): p50 " << percentile(ms, 0.5) << " ms, p95 " << percentile(ms, 0.95)
            << " ms (target < 100 ms)\n";
}

// search_p95 on the store at `url` one query per tier only, then with the
// store's default tiers: the same queries, one after the other.
void search_before_after(const std::string& url, int64_t documents) {
  for (bool by_tier : {true, false}) {
    if (by_tier) {
      setenv("SOHOA_PG_SEARCH_WINDOW", "0", 1);
    } else {
      unsetenv("SOHOA_PG_SEARCH_WINDOW");
    }
    auto db = sohoa::storage::Database::open(url);
    std::cout << (by_tier ? "one query per tier (before):" : "default tiers (after):") << load()
              << "\n";
    search_p95(*db, documents);
  }
}

// SYNC_BENCH_SEARCH_ONLY=N: only the search figure, over N documents
// stored in one transaction (store_documents), without register or sync.
void search_only(const fs::path& dir, int64_t documents) {
  auto centre = sohoa::testing::TestStore::make(sohoa::testing::StoreKind::kPostgres, dir);
  auto db = sohoa::storage::Database::open(centre->arg());
  sohoa::registry::import_units(*db, sohoa::bench::units_csv());
  auto start = Clock::now();
  int64_t made = 0;
  db->store_documents([&](sohoa::storage::NewDocument& d) {
    if (made == documents) return false;
    ++made;
    char sha[65];
    std::snprintf(sha, sizeof sha, "%064lld", static_cast<long long>(made));
    d = synthetic_document(made, sha, true);
    return true;
  });
  std::cout << "search store: " << documents << " documents stored in " << seconds_since(start)
            << " s\n";
  // The statistics autovacuum gathers soon after a bulk load: the planner
  // needs them to tell a rare word from a common one.
  sohoa::testing::postgres_exec(centre->arg(), "ANALYZE");
  search_before_after(centre->arg(), documents);
  pause(centre->arg());
}

}  // namespace

int main() {
  std::string url = sohoa::testing::test_postgres_url();
  if (url.empty()) {
    std::cerr << "sync_bench: needs a PostgreSQL server: run it as\n"
              << "  PG_TEMP_DURABLE=1 scripts/pg-temp build/sync_bench\n";
    return 2;
  }
  sohoa::testing::TempDir dir;
  if (const char* store = std::getenv("SYNC_BENCH_SEARCH_URL"); store != nullptr) {
    // A store SYNC_BENCH_PAUSE kept, asked again (after a change of code).
    auto db = sohoa::storage::Database::open(store);
    search_before_after(store, static_cast<int64_t>(db->document_ids().size()));
    return 0;
  }
  if (int64_t only = env_int("SYNC_BENCH_SEARCH_ONLY", 0); only > 0) {
    search_only(dir.path(), only);
    return 0;
  }
  if (env_int("SYNC_BENCH_BULK", 0) != 0) {
    province_bulk(dir.path(), env_int("SYNC_BENCH_PROVINCE_DOCS", 200000),
                  env_int("SYNC_BENCH_REGISTER_ROWS", 1000000));
    return 0;
  }
  int stations = static_cast<int>(env_int("SYNC_BENCH_STATIONS", 4));
  int64_t docs = env_int("SYNC_BENCH_DOCS", 500);
  sync_throughput(dir.path(), stations, docs);
  if (int64_t province_docs = env_int("SYNC_BENCH_PROVINCE_DOCS", 20000); province_docs > 0) {
    province(dir.path(), province_docs, env_int("SYNC_BENCH_REGISTER_ROWS", 100000));
  }
  return 0;
}
