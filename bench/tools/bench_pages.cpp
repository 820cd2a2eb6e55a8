// Writes the pages of a scan as sohoa loads them, for readers that take one
// image per page (tesseract, ocrmypdf), and, given the document's truth, the
// same pages restored with their known rotation and skew (the floor).
//   bench_pages FILE OUTDIR [TRUTH.json]
// Writes OUTDIR/NAME-pN.png (as scanned) and OUTDIR/NAME-pN.known.png, where
// NAME is FILE's name without extension; PNGs carry their dpi.
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vips/vips8>

#include "ocr/cleanup.h"
#include "ocr/skew.h"
#include "ocr/orientation.h"
#include "ocr/restore_ink.h"
#include "pipeline/stages/load.h"

using namespace sohoa;

namespace {

void write_png(const cv::Mat& grey, int dpi, const std::string& path) {
  cv::Mat dense = grey.isContinuous() ? grey : grey.clone();
  vips::VImage image = vips::VImage::new_from_memory(dense.data, dense.total(), dense.cols,
                                                     dense.rows, 1, VIPS_FORMAT_UCHAR);
  double per_mm = dpi / 25.4;
  image = image.copy(vips::VImage::option()->set("xres", per_mm)->set("yres", per_mm));
  image.pngsave(path.c_str());
}

// The page restored with what the truth says was done to it: turned back,
// skew undone and scaled to 300 dpi in one resampling, then cleaned.
cv::Mat restore_known(const pipeline::Page& page, int rotation, double skew_deg, int& dpi) {
  cv::Mat upright = ocr::turn_upright(page.image, rotation);
  double scale = page.dpi < 300 ? 300.0 / page.dpi : 1.0;
  cv::Mat level = ocr::rotate_and_scale(upright, skew_deg, scale, ocr::paper_level(upright));
  dpi = std::max(page.dpi, 300);
  return ocr::clean_page(level, dpi);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_pages FILE OUTDIR [TRUTH.json]\n");
    return 1;
  }
  if (VIPS_INIT(argv[0])) return 2;
  std::filesystem::path file = argv[1], out = argv[2];
  nlohmann::json truth;
  if (argc > 3) truth = nlohmann::json::parse(std::ifstream(argv[3]));
  try {
    pipeline::ScanFile scan(file);
    std::string name = file.stem().string();
    for (int n = 1; n <= scan.page_count(); ++n) {
      pipeline::Page page = scan.load_page(n);
      std::string base = (out / (name + "-p" + std::to_string(n))).string();
      write_png(page.image, page.dpi, base + ".png");
      if (truth.is_null()) continue;
      const auto& known = truth.at("pages").at(n - 1);
      int dpi = page.dpi;
      cv::Mat restored = restore_known(page, known.at("rotation").get<int>(),
                                       known.at("skew_deg").get<double>(), dpi);
      write_png(restored, dpi, base + ".known.png");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_pages: %s: %s\n", file.c_str(), e.what());
    return 1;
  }
  return 0;
}
