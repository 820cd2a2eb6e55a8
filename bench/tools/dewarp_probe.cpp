// Prints what ocr::measure_curvature finds on page images (lines traced, long
// lines, bend and fan in x-heights, curved or not) after the chain's colour,
// perspective, orient and deskew stages, for setting and checking the dewarp
// thresholds on real and generated pages.
//   dewarp_probe [--dump OUTDIR] IMAGE...
// --dump writes OUTDIR/NAME.lines.png (the traced lines drawn in red on the
// page) and OUTDIR/NAME.dewarped.png.
#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vips/vips8>

#include "ocr/dewarp.h"
#include "ocr/text_size.h"
#include "pipeline/stages/colour.h"
#include "pipeline/stages/deskew.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/orient.h"
#include "pipeline/stages/perspective.h"

namespace fs = std::filesystem;
using namespace sohoa;

int main(int argc, char** argv) {
  if (VIPS_INIT(argv[0])) return 2;
  fs::path dump;
  int first = 1;
  if (argc > 2 && std::string(argv[1]) == "--dump") dump = argv[2], first = 3;
  if (first >= argc) {
    std::fprintf(stderr, "usage: dewarp_probe [--dump OUTDIR] IMAGE...\n");
    return 1;
  }
  for (int a = first; a < argc; ++a) {
    const fs::path image = argv[a];
    pipeline::Page page = pipeline::ScanFile(image).load_page(1);
    page = pipeline::ColourStage().run(std::move(page));
    page = pipeline::PerspectiveStage().run(std::move(page));
    page = pipeline::OrientStage().run(std::move(page));
    page = pipeline::DeskewStage().run(std::move(page));
    if (page.text_dpi <= 0) {
      std::printf("%-40s text size not measured\n", image.stem().string().substr(0, 40).c_str());
      continue;
    }
    const double xh = ocr::kXHeightAt300Dpi * page.dpi / 300.0;
    const ocr::PageCurvature c = ocr::measure_curvature(page.image, xh);
    std::printf("%-40s xh %5.1f lines %3zu long %3d bend %5.2f fan %5.2f %s\n",
                image.stem().string().substr(0, 40).c_str(), xh, c.lines.size(), c.long_lines,
                c.bend, c.fan, c.curved ? "CURVED" : "flat");
    if (dump.empty()) continue;
    fs::create_directories(dump);
    cv::Mat shown;
    cv::cvtColor(page.image, shown, cv::COLOR_GRAY2BGR);
    for (const auto& line : c.lines) {
      std::vector<cv::Point> pts;
      for (double x = line.x0; x <= line.x1; x += 4) pts.emplace_back(int(x), int(line.y_at(x)));
      cv::polylines(shown, pts, false, cv::Scalar(0, 0, 255), 2);
    }
    const std::string name = image.stem().string();
    cv::imwrite((dump / (name + ".lines.png")).string(), shown);
    cv::imwrite((dump / (name + ".dewarped.png")).string(), ocr::dewarp(page.image, c));
  }
  return 0;
}
