// register import of 1,000,000 rows into a fresh database (target: < 30 s on
// the 2-core machine). Prints rows/s and the wall time of one import.
#include <benchmark/benchmark.h>

#include <chrono>
#include <iostream>

#include "bench/bench_data.h"
#include "registry/register_import.h"
#include "registry/units_import.h"
#include "storage/database.h"

namespace {

void fresh_import(benchmark::State& state) {
  const int64_t rows = state.range(0);
  auto csv = sohoa::bench::register_csv(rows);
  auto db_path = sohoa::bench::work_dir() / "register-import-bench.db";
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(db_path.string() + suffix);
    }
    auto db = sohoa::storage::Database::open(db_path);
    sohoa::registry::import_units(*db, sohoa::bench::units_csv());
    state.ResumeTiming();
    auto start = std::chrono::steady_clock::now();
    auto result = sohoa::registry::import_register(*db, csv);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (result.inserted != rows || !result.rejected.empty()) state.SkipWithError("import failed");
    std::cout << "register import: " << rows << " rows in " << seconds << " s ("
              << static_cast<int64_t>(static_cast<double>(rows) / seconds) << " rows/s)"
              << (rows >= 1000000
                      ? (seconds < 30 ? " [target < 30 s: met]" : " [target < 30 s: MISSED]")
                      : "")
              << std::endl;
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(fresh_import)
    ->Arg(100000)
    ->Arg(1000000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

// Importing the same file again: every row an update.
void reimport(benchmark::State& state) {
  const int64_t rows = state.range(0);
  auto csv = sohoa::bench::register_csv(rows);
  auto db_path = sohoa::bench::work_dir() / "register-import-bench.db";
  auto db = sohoa::storage::Database::open(db_path);
  for (auto _ : state) {
    auto result = sohoa::registry::import_register(*db, csv);
    if (result.updated != rows) state.SkipWithError("re-import did not update every row");
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(reimport)->Arg(1000000)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
