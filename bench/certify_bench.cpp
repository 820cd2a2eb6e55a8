// Cost of making a certified copy from a searchable PDF: the copy mark on
// page 1 (rendered text, stencil, XMP) plus the PAdES signature over the
// whole file, for 1, 5 and 20 pages (A4, 300 dpi, grey JPEG); and of
// verifying it. Prints ms per copy and per page. `sohoa certify` adds the
// export itself (export_bench measures it per page).
//
//   certify_bench [--benchmark_filter=...]
//
// Keys: an RSA-2048 unit key made with openssl in a temporary folder.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <opencv2/imgproc.hpp>

#include "export/certify.h"
#include "export/pdf.h"
#include "tests/support/test_pki.h"

namespace {

namespace fs = std::filesystem;
using namespace sohoa::exports;

struct Fixture {
  sohoa::testing::TempDir dir;
  sohoa::testing::TestPki pki = sohoa::testing::make_test_pki(dir.path());
  SigningCredentials credentials =
      SigningCredentials::load(pki.unit_pem, pki.unit_key.string(), {}, {});
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// A grey A4 page with a line of text-like ink and noise, as scans are.
std::string searchable_pdf(int pages) {
  cv::Mat image(3508, 2480, CV_8UC1);
  cv::randu(image, 200, 255);
  for (int y = 500; y < 3000; y += 120) {
    cv::rectangle(image, cv::Rect(300, y, 1800, 50), cv::Scalar(20), cv::FILLED);
  }
  sohoa::ocr::PageText layout;
  layout.width = image.cols;
  layout.height = image.rows;
  SearchablePdf pdf(PdfInfo{});
  for (int i = 0; i < pages; ++i) pdf.add_page(image, 300, layout);
  return pdf.bytes();
}

void BM_Certify(benchmark::State& state) {
  const int pages = static_cast<int>(state.range(0));
  std::string pdf = searchable_pdf(pages);
  const std::string sha(64, 'a');
  const SigningCredentials& credentials = fixture().credentials;  // before the clock is read
  size_t out_size = 0;
  std::chrono::duration<double, std::milli> spent{0};
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    std::string copy = certify_pdf(pdf, sha, credentials, std::time(nullptr));
    spent += std::chrono::steady_clock::now() - start;
    out_size = copy.size();
    benchmark::DoNotOptimize(copy);
  }
  // Wall-clock milliseconds per page.
  state.counters["ms_per_page"] = spent.count() / static_cast<double>(state.iterations()) / pages;
  state.counters["added_KB"] = static_cast<double>(out_size - pdf.size()) / 1024.0;
}
BENCHMARK(BM_Certify)->Arg(1)->Arg(5)->Arg(20)->Unit(benchmark::kMillisecond);

void BM_Verify(benchmark::State& state) {
  const int pages = static_cast<int>(state.range(0));
  fixture();  // the certificate exists before the clock is read
  std::string copy = certify_pdf(searchable_pdf(pages), std::string(64, 'a'), fixture().credentials,
                                 std::time(nullptr));
  std::chrono::duration<double, std::milli> spent{0};
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    SignatureCheck c = verify_pdf(copy, fixture().pki.ca_pem);
    spent += std::chrono::steady_clock::now() - start;
    if (!c.valid) state.SkipWithError(c.problem.c_str());
  }
  // Wall-clock milliseconds per page.
  state.counters["ms_per_page"] = spent.count() / static_cast<double>(state.iterations()) / pages;
}
BENCHMARK(BM_Verify)->Arg(1)->Arg(20)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
