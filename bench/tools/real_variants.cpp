// Reads one page image through variants of the page chain and writes each
// variant's text to OUT/VARIANT/NAME.txt, printing its mean confidence:
// for comparing restoration choices on the real-page set (real_score scores
// the folders).
//   real_variants OUTDIR IMAGE VARIANT...
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>
#include <vips/vips8>

#include "ocr/cleanup.h"
#include "pipeline/stages/chain.h"
#include "pipeline/stages/clean.h"
#include "pipeline/stages/codes.h"
#include "pipeline/stages/colour.h"
#include "pipeline/stages/deskew.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/orient.h"
#include "pipeline/stages/perspective.h"
#include "pipeline/stages/recognize.h"

namespace fs = std::filesystem;
using namespace sohoa;

namespace {

cv::Mat unsharp(const cv::Mat& grey, double sigma, double amount) {
  cv::Mat blurred, out;
  cv::GaussianBlur(grey, blurred, cv::Size(0, 0), sigma);
  cv::addWeighted(grey, 1 + amount, blurred, -amount, 0, out);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: real_variants OUTDIR IMAGE VARIANT...\n");
    return 1;
  }
  if (VIPS_INIT(argv[0])) return 2;
  fs::path out = argv[1];
  fs::path image = argv[2];
  const std::string name = image.stem().string();
  pipeline::ScanFile scan(image);
  pipeline::RecognizeStage recognize(ocr::reader_options_for_model(""));
  if (std::string(argv[3]) == "timing") {
    // Milliseconds each stage of the standard chain takes on this page.
    pipeline::Page page = scan.load_page(1);
    std::vector<std::unique_ptr<pipeline::PageStage>> stages;
    stages.push_back(std::make_unique<pipeline::CodesStage>());
    stages.push_back(std::make_unique<pipeline::ColourStage>());
    stages.push_back(std::make_unique<pipeline::PerspectiveStage>());
    stages.push_back(std::make_unique<pipeline::OrientStage>());
    stages.push_back(std::make_unique<pipeline::DeskewStage>());
    stages.push_back(std::make_unique<pipeline::CleanStage>());
    stages.push_back(std::make_unique<pipeline::RecognizeStage>(ocr::reader_options_for_model("")));
    for (auto& stage : stages) {
      auto start = std::chrono::steady_clock::now();
      page = stage->run(std::move(page));
      double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      std::printf("%-12s %8.1f ms  %dx%d\n", stage->name(), ms, page.image.cols, page.image.rows);
    }
    return 0;
  }
  for (int v = 3; v < argc; ++v) {
    const std::string variant = argv[v];
    int read_dpi = pipeline::DeskewStage::kReadDpi;
    if (variant.find("d300") != std::string::npos) read_dpi = 300;
    if (variant.find("d180") != std::string::npos) read_dpi = 180;
    if (variant.find("d260") != std::string::npos) read_dpi = 260;
    pipeline::Page page = scan.load_page(1);
    if (std::getenv("DUMP")) cv::imwrite((out / (name + ".raw.png")).string(), page.image);
    if (variant.find("nocol") == std::string::npos)
      page = pipeline::ColourStage().run(std::move(page));
    else
      page.colour.release();
    page = pipeline::PerspectiveStage().run(std::move(page));
    if (std::getenv("DUMP")) cv::imwrite((out / (name + ".loaded.png")).string(), page.image);
    page = pipeline::OrientStage().run(std::move(page));
    page = pipeline::DeskewStage(read_dpi).run(std::move(page));
    if (variant.find("sharpfirst") != std::string::npos)
      page.image = unsharp(page.image, 1.0 * page.dpi / 220, 1.0);
    {
      cv::Mat flat = ocr::flatten_background(page.image), med, diff;
      cv::medianBlur(flat, med, 3);
      cv::absdiff(flat, med, diff);
      cv::Mat dark;
      cv::threshold(flat, dark, 160, 255, cv::THRESH_BINARY_INV);
      cv::Mat big;
      cv::threshold(diff, big, 40, 255, cv::THRESH_BINARY);
      std::printf("NOISE %s %.5f %.5f %.3f\n", name.c_str(),
                  double(cv::countNonZero(big)) / big.total(),
                  double(cv::countNonZero(dark)) / dark.total(), cv::mean(diff)[0]);
    }
    if (variant.find("flat") != std::string::npos) {
      page.image = ocr::flatten_background(ocr::remove_dark_borders(page.image));
      if (variant.find("flatmed") != std::string::npos) cv::medianBlur(page.image, page.image, 3);
    } else if (variant.find("noclean") == std::string::npos) {
      page = pipeline::CleanStage().run(std::move(page));
    }
    if (variant.find("sharp1") != std::string::npos)
      page.image = unsharp(page.image, 1.0 * page.dpi / 220, 1.0);
    if (variant.find("sharp05") != std::string::npos)
      page.image = unsharp(page.image, 1.0 * page.dpi / 220, 0.5);
    if (variant.find("lead") != std::string::npos)
      page.image = ocr::remove_dot_leaders(page.image, page.dpi);
    if (variant.find("bin") != std::string::npos) page.image = ocr::binarize(page.image);
    if (std::getenv("DUMP"))
      cv::imwrite((out / (name + "." + variant + ".png")).string(), page.image);
    page = recognize.run(std::move(page));
    fs::create_directories(out / variant);
    std::ofstream(out / variant / (name + ".txt")) << page.text.text;
    if (std::getenv("DUMP"))
      std::printf("flattened %d rotation %d skew %.2f\n", page.flattened, page.rotation,
                  page.skew_deg);
    std::printf("%-40s %-16s conf %5.1f text_dpi %4d dpi %4d %dx%d\n", name.substr(0, 40).c_str(),
                variant.c_str(), page.text.mean_confidence, page.text_dpi, page.dpi,
                page.image.cols, page.image.rows);
    std::fflush(stdout);
  }
  return 0;
}
