// Milliseconds per 300 dpi A4 page for each restoration stage, and for the
// three together, on a damaged scan (turned 90°, skewed 6.5°, grey uneven
// paper, specks, a dark lid shadow; and the same page not turned). Target:
// all three ≤ 100 ms per page. Much of the cost of full-page images is page
// faults of fresh allocations; glibc keeps freed pages for reuse with
//   GLIBC_TUNABLES=glibc.malloc.mmap_threshold=134217728:glibc.malloc.trim_threshold=1073741824
// (or the same through mallopt() in a program's main), about 20% faster.
#include <benchmark/benchmark.h>

#include "ocr/cleanup.h"
#include "ocr/skew.h"
#include "ocr/orientation.h"
#include "pipeline/stages/clean.h"
#include "pipeline/stages/deskew.h"
#include "pipeline/stages/orient.h"
#include "tests/support/restore_render.h"

using namespace sohoa;

namespace {

const cv::Mat& upright_page() {
  static const cv::Mat page = testing::render_page();
  return page;
}

const cv::Mat& scanned_page() {
  static const cv::Mat page = testing::degrade(testing::scan(upright_page(), 6.5, 90), 1);
  return page;
}

const cv::Mat& scanned_upright_page() {
  static const cv::Mat page = testing::degrade(testing::scan(upright_page(), 6.5, 0), 1);
  return page;
}

// Input of each stage: what the stages before it leave.
const cv::Mat& turned_page() {
  static const cv::Mat page = ocr::turn_upright(scanned_page(), 90);
  return page;
}

const cv::Mat& level_page() {
  static const cv::Mat page = ocr::rotate_and_scale(turned_page(), 6.5, 1.0, 200);
  return page;
}

pipeline::Page page_of(const cv::Mat& image) {
  pipeline::Page page;
  page.image = image.clone();
  page.dpi = 300;
  return page;
}

void run_stage(benchmark::State& state, pipeline::PageStage& stage, const cv::Mat& input) {
  for (auto _ : state) {
    state.PauseTiming();
    pipeline::Page page = page_of(input);
    state.ResumeTiming();
    page = stage.run(std::move(page));
    benchmark::DoNotOptimize(page.image.data);
  }
}

void BM_OrientStage(benchmark::State& state) {
  pipeline::OrientStage stage;
  run_stage(state, stage, scanned_page());
}

void BM_DeskewStage(benchmark::State& state) {
  pipeline::DeskewStage stage;
  run_stage(state, stage, turned_page());
}

void BM_CleanStage(benchmark::State& state) {
  pipeline::CleanStage stage;
  run_stage(state, stage, level_page());
}

void run_all_stages(benchmark::State& state, const cv::Mat& scanned) {
  pipeline::OrientStage orient;
  pipeline::DeskewStage deskew;
  pipeline::CleanStage clean;
  for (auto _ : state) {
    state.PauseTiming();
    pipeline::Page page = page_of(scanned);
    state.ResumeTiming();
    page = clean.run(deskew.run(orient.run(std::move(page))));
    benchmark::DoNotOptimize(page.image.data);
  }
}

void BM_AllRestorationStages(benchmark::State& state) { run_all_stages(state, scanned_page()); }

void BM_AllRestorationStagesNotTurned(benchmark::State& state) {
  run_all_stages(state, scanned_upright_page());
}

// The parts, to see where the time goes.
void BM_DetectOrientation(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ocr::detect_orientation(scanned_page()));
}

void BM_EstimateSkew(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ocr::estimate_skew(turned_page()));
}

void BM_RotateAndScale(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(ocr::rotate_and_scale(turned_page(), 6.5, 1.0, 200).data);
}

void BM_RemoveDarkBorders(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ocr::remove_dark_borders(level_page()).data);
}

void BM_FlattenBackground(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ocr::flatten_background(level_page()).data);
}

void BM_RemoveSpeckles(benchmark::State& state) {
  static const cv::Mat flat = ocr::flatten_background(level_page());
  for (auto _ : state) benchmark::DoNotOptimize(ocr::remove_speckles(flat, 300).data);
}

}  // namespace

BENCHMARK(BM_OrientStage)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DeskewStage)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CleanStage)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllRestorationStages)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllRestorationStagesNotTurned)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DetectOrientation)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EstimateSkew)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RotateAndScale)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RemoveDarkBorders)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlattenBackground)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RemoveSpeckles)->Unit(benchmark::kMillisecond);

// One OpenCV thread: in production two pages are restored at a time on two
// cores, so a page gets one core.
int main(int argc, char** argv) {
  cv::setNumThreads(1);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
