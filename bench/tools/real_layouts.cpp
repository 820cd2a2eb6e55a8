// Reads every scan of a folder through the page chain exactly as `sohoa
// ingest` does (pipeline::ScanFile with default options, PageChain::standard)
// and writes each file's OCR layout, one JSON array of page layouts, as
// OUT/NAME.layout.json: the real-page inputs of extract_accuracy_bench, to
// refresh whenever restoration or OCR changes.
//   real_layouts IN_DIR OUT_DIR
// Exit 0 when every scan was read, 1 on bad usage, 3 when some failed (each
// named on stderr).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "bench/extract_accuracy.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: real_layouts IN_DIR OUT_DIR\n");
    return 1;
  }
  fs::path in = argv[1], out = argv[2];
  std::vector<fs::path> scans;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(in, ec)) {
    if (e.is_regular_file() && sohoa::pipeline::is_scan_file(e.path())) scans.push_back(e.path());
  }
  if (ec) {
    std::fprintf(stderr, "sohoa: %s: %s\n", in.c_str(), ec.message().c_str());
    return 1;
  }
  std::sort(scans.begin(), scans.end());
  fs::create_directories(out);
  auto chain = sohoa::pipeline::PageChain::standard();
  int failed = 0;
  for (const auto& scan : scans) {
    try {
      auto pages = sohoa::bench::read_scan(scan, chain);
      sohoa::bench::write_layout(out / (scan.stem().string() + ".layout.json"), pages);
      std::fprintf(stderr, "%s: %zu pages\n", scan.filename().c_str(), pages.size());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sohoa: %s: %s\n", scan.c_str(), e.what());
      ++failed;
    }
  }
  return failed ? 3 : 0;
}
