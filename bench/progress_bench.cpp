// progress over 1,000,000 register rows and 1,000,000 stored documents
// (target: an answer in under 1 s). The database is built once (register
// import + store_document for each document, ~99% of them matching a row)
// and kept in $SOHOA_BENCH_DIR (default /tmp/sohoa-bench) for later runs.
#include <benchmark/benchmark.h>

#include <chrono>
#include <iostream>

#include "bench/bench_data.h"
#include "registry/progress_report.h"
#include "registry/register_import.h"
#include "registry/units_import.h"
#include "storage/database.h"

namespace {

constexpr int64_t kRows = 1000000;
constexpr int64_t kDocuments = 1000000;

std::string plus_days(const std::string& iso, int days) {
  std::tm t{};
  t.tm_year = std::stoi(iso.substr(0, 4)) - 1900;
  t.tm_mon = std::stoi(iso.substr(5, 2)) - 1;
  t.tm_mday = std::stoi(iso.substr(8, 2)) + days;
  t.tm_hour = 12;
  std::mktime(&t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &t);
  return buf;
}

// Document i matches register row i, but every hundredth carries a number
// found in no register; a fifth are issued under the merged commune.
sohoa::storage::NewDocument synthetic_document(int64_t i) {
  sohoa::bench::SyntheticRow row = sohoa::bench::synthetic_row(i);
  const auto& unit = sohoa::bench::units()[static_cast<size_t>(row.unit)];
  sohoa::storage::NewDocument d;
  char sha[65];
  std::snprintf(sha, sizeof sha, "%064lld", static_cast<long long>(i));
  d.sha256 = sha;
  d.source = "scans/" + std::to_string(i) + ".tif";
  d.issuer_unit = i % 5 == 0 ? unit.successor : unit.unit;
  d.unit = d.issuer_unit;
  d.level = std::string(unit.unit) == "tay-hoa" ? "huyen" : "xa";
  d.digitized_at = plus_days(row.issued, static_cast<int>(i * 7919 % 900));
  d.status = i % 20 == 0 ? "review" : "ok";
  d.fields = {{"doc_number", i % 100 == 0 ? "X" + row.number : row.number, 0.9},
              {"issued_date", row.issued, 0.9}};
  return d;
}

std::filesystem::path bench_database() {
  auto path = sohoa::bench::work_dir() / "progress-1M.db";
  auto ready = path;
  ready += ".ready";
  if (std::filesystem::exists(ready)) return path;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  auto start = std::chrono::steady_clock::now();
  auto db = sohoa::storage::Database::open(path);
  sohoa::registry::import_units(*db, sohoa::bench::units_csv());
  sohoa::registry::import_register(*db, sohoa::bench::register_csv(kRows));
  std::cout << "built register: " << db->register_size() << " rows" << std::endl;
  for (int64_t i = 1; i <= kDocuments; ++i) {
    db->store_document(synthetic_document(i));
    if (i % 100000 == 0) {
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cout << "stored " << i << " documents (" << s << " s)" << std::endl;
    }
  }
  std::ofstream(ready) << "ok\n";
  return path;
}

sohoa::registry::ProgressOptions options(const std::string& by, const std::string& period) {
  sohoa::registry::ProgressOptions o;
  o.by = by;
  o.period = period;
  o.as_of = "2025-12-31";
  return o;
}

void progress(benchmark::State& state, const std::string& by, const std::string& period,
              const std::string& format) {
  auto db = sohoa::storage::Database::open(bench_database());
  size_t bytes = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto report = sohoa::registry::compute_progress(*db, options(by, period));
    std::string out = format == "json" ? sohoa::registry::render_json(report)
                                       : sohoa::registry::render_table(report);
    bytes = out.size();
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    state.counters["answer_ms"] = ms;
    state.counters["rows"] = static_cast<double>(report.rows.size());
    state.counters["unmatched"] = static_cast<double>(report.unmatched.size());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}

void by_level_year_table(benchmark::State& s) { progress(s, "level", "year", "table"); }
void by_level_quarter_json(benchmark::State& s) { progress(s, "level", "quarter", "json"); }
void by_unit_year_json(benchmark::State& s) { progress(s, "unit", "year", "json"); }
BENCHMARK(by_level_year_table)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);
BENCHMARK(by_level_quarter_json)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);
BENCHMARK(by_unit_year_json)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);

// The first answer after opening the database (cold prepared statements).
void first_answer_after_open(benchmark::State& state) {
  auto path = bench_database();
  for (auto _ : state) {
    auto db = sohoa::storage::Database::open(path);
    auto report = sohoa::registry::compute_progress(*db, options("level", "year"));
    benchmark::DoNotOptimize(sohoa::registry::render_table(report));
  }
}
BENCHMARK(first_answer_after_open)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

int main(int argc, char** argv) {
  bench_database();  // built before timing starts
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
