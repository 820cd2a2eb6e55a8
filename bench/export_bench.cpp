// Export speed and size per page: re-creating the restored page from the
// original (recorded rotation and skew, clean-up) and writing it into a
// searchable PDF with its text layer. Prints time per page and the page's
// image size in KB next to the original file's size.
//
//   export_bench [--benchmark_filter=...]
//
// Scans come from sohoa-samples (beside this program) in a temporary folder;
// each is read once by the full ingest chain (with OCR) for its layout.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "export/pdf.h"
#include "export/render.h"
#include "pipeline/stages/chain.h"

namespace {

namespace fs = std::filesystem;

fs::path program_dir() { return fs::read_symlink("/proc/self/exe").parent_path(); }

fs::path scratch() {
  static fs::path dir =
      fs::temp_directory_path() / ("sohoa-export-bench-" + std::to_string(::getpid()));
  return dir;
}

// The first scan made by the generator with these settings.
fs::path sample(const std::string& format, const std::string& profile, int seed) {
  fs::path out = scratch() / (format + "-" + profile);
  std::string cmd = (program_dir() / "sohoa-samples").string() + " --out " + out.string() +
                    " --count 1 --pages 1 --seed " + std::to_string(seed) + " --profile " +
                    profile + " --format " + format + " --units " +
                    (fs::path(SOHOA_SOURCE_DIR) / "samples" / "units.csv").string() +
                    " > /dev/null";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("sohoa-samples failed: " + cmd);
  for (const auto& e : fs::directory_iterator(out)) {
    if (e.path().extension() != ".json") return e.path();
  }
  throw std::runtime_error("no scan in " + out.string());
}

void BM_ExportPage(benchmark::State& state, const std::string& format, const std::string& profile,
                   int seed) {
  fs::path scan_path = sample(format, profile, seed);
  sohoa::pipeline::ScanFile scan(scan_path);
  sohoa::pipeline::PageChain chain = sohoa::pipeline::PageChain::standard();
  sohoa::storage::PageRecord record = sohoa::pipeline::page_record(chain.run(scan.load_page(1)));
  sohoa::ocr::PageText layout = chain.run(scan.load_page(1)).text;
  sohoa::exports::PageReplay replay;
  sohoa::exports::PdfImageStats stats;
  size_t pdf_bytes = 0;
  for (auto _ : state) {
    sohoa::exports::PageReplay::Result page = replay.restore(scan, 1, record);
    sohoa::exports::SearchablePdf pdf(sohoa::exports::PdfInfo{});
    stats = pdf.add_page(page.page.image, page.page.dpi, layout, fs::file_size(scan_path),
                         page.scanned_bilevel);
    pdf_bytes = pdf.bytes().size();
    benchmark::DoNotOptimize(pdf_bytes);
  }
  state.counters["image_KB"] = stats.bytes / 1024.0;
  state.counters["pdf_KB"] = pdf_bytes / 1024.0;
  state.counters["original_KB"] = fs::file_size(scan_path) / 1024.0;
  state.counters["G4"] = stats.bilevel ? 1 : 0;
  state.counters["jpeg_q"] = stats.jpeg_quality;
  state.counters["skew_deg"] = record.skew_deg;
}

BENCHMARK_CAPTURE(BM_ExportPage, bilevel_clean_g4, std::string("g4"), std::string("clean"), 3)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);
BENCHMARK_CAPTURE(BM_ExportPage, bilevel_degraded_g4, std::string("g4"), std::string("degraded"), 5)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);
BENCHMARK_CAPTURE(BM_ExportPage, grey_clean_png, std::string("png"), std::string("clean"), 6)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);
BENCHMARK_CAPTURE(BM_ExportPage, grey_degraded_jpg, std::string("jpg"), std::string("degraded"), 4)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ignored;
  fs::remove_all(scratch(), ignored);
  return 0;
}
