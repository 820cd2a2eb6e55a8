// Metadata extraction speed (target: <= 20 ms per page). Runs the extractor
// over OCR layouts of generated degraded scans as the real page chain read
// them (cached by extract_accuracy_bench: NAME.layout.json), so what is
// timed is extraction alone, no OCR.
//
//   extract_bench [--benchmark_*]   layouts from $SOHOA_EXTRACT_LAYOUTS, else
//                                   build/extract-accuracy (made by extract_accuracy_bench)
#include <benchmark/benchmark.h>

#include "bench/extract_accuracy.h"
#include "metadata/extract.h"

namespace {

namespace fs = std::filesystem;

struct Corpus {
  std::vector<std::vector<sohoa::ocr::PageText>> documents;
  int pages = 0;
};

fs::path program_dir;

fs::path layouts_dir() {
  const char* env = std::getenv("SOHOA_EXTRACT_LAYOUTS");
  if (env != nullptr && *env != '\0') return env;
  return program_dir / "extract-accuracy";
}

fs::path units_csv() { return fs::path(SOHOA_SOURCE_DIR) / "samples" / "units.csv"; }

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus out;
    fs::path dir = layouts_dir();
    if (!sohoa::bench::has_truth_files(dir) &&
        !sohoa::bench::ensure_samples(dir, 5, program_dir, units_csv())) {
      return out;
    }
    for (auto& s : sohoa::bench::load_samples(dir)) {
      out.pages += static_cast<int>(s.pages.size());
      out.documents.push_back(std::move(s.pages));
    }
    return out;
  }();
  return c;
}

void BM_ExtractPerPage(benchmark::State& state) {
  const Corpus& c = corpus();
  if (c.pages == 0) {
    state.SkipWithError(
        "no layouts: run extract_accuracy_bench first or set SOHOA_EXTRACT_LAYOUTS");
    return;
  }
  const sohoa::metadata::MetadataExtractor extractor(sohoa::bench::read_units_csv(units_csv()));
  std::size_t fields = 0;
  for (auto _ : state) {
    for (const auto& doc : c.documents) {
      auto e = extractor.extract(doc, "dak-lak");
      fields += e.fields.size();
      benchmark::DoNotOptimize(e);
    }
  }
  // Time per iteration covers every page once: report per page.
  state.SetItemsProcessed(state.iterations() * c.pages);
  state.counters["pages"] = c.pages;
  // Wall time per page, in seconds (printed like 1.3m = 1.3 ms).
  state.counters["s_per_page"] = benchmark::Counter(
      c.pages, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  benchmark::DoNotOptimize(fields);
}
BENCHMARK(BM_ExtractPerPage)->Unit(benchmark::kMillisecond);

void BM_ExtractorConstruction(benchmark::State& state) {
  auto units = sohoa::bench::read_units_csv(units_csv());
  for (auto _ : state) {
    sohoa::metadata::MetadataExtractor extractor(units);
    benchmark::DoNotOptimize(extractor);
  }
}
BENCHMARK(BM_ExtractorConstruction)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  program_dir = fs::absolute(argv[0]).parent_path();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
