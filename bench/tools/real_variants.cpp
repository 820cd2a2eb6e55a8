// Reads one page image through variants of the page chain and writes each
// variant's text to OUT/VARIANT/NAME.txt, printing its mean confidence: for
// comparing restoration choices on the real-page set before changing the
// chain (real_score TRUTHDIR OUT VARIANT... scores the folders).
//   real_variants OUTDIR IMAGE VARIANT...
//   real_variants OUTDIR IMAGE timing      (ms per stage of the standard chain)
// A VARIANT is words joined by '_' changing the standard chain
// (colour, perspective, orient, deskew, clean, ocr; codes left out):
//   std          nothing changed
//   nocol        no colour stage (the luminance as loaded)
//   dNNN         read at text dpi NNN instead of DeskewStage::kReadDpi
//   nodewarp     no dewarp stage
//   noclean      no clean stage;  flat: borders and light only;  flatmed: and a median 3
//   sharpfirst   unsharp mask (sigma 1 at 220 dpi, amount 1) before the clean stage
//   sharp        the same after it
//   rules        printed rules whitened after the clean stage (ocr::remove_rules)
//   bin          Otsu-binarized before reading
//   guard        unsure lines read again from the page before clean-up
//                (ocr/line_guard.h; GUARD_BELOW, GUARD_GAIN, GUARD_SCALE, GUARD_GIVE_UP in
//                the environment change its options)
// DUMP=1 in the environment also writes OUT/NAME.VARIANT.png, the image read.
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>
#include <vips/vips8>

#include "ocr/cleanup.h"
#include "ocr/line_guard.h"
#include "pipeline/stages/chain.h"
#include "pipeline/stages/clean.h"
#include "pipeline/stages/codes.h"
#include "pipeline/stages/colour.h"
#include "pipeline/stages/deskew.h"
#include "pipeline/stages/dewarp.h"
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

std::set<std::string> words_of(const std::string& variant) {
  std::set<std::string> words;
  std::istringstream in(variant);
  for (std::string word; std::getline(in, word, '_');) words.insert(word);
  return words;
}

int timing(const pipeline::ScanFile& scan) {
  pipeline::Page page = scan.load_page(1);
  std::vector<std::unique_ptr<pipeline::PageStage>> stages;
  stages.push_back(std::make_unique<pipeline::CodesStage>());
  stages.push_back(std::make_unique<pipeline::ColourStage>());
  stages.push_back(std::make_unique<pipeline::PerspectiveStage>());
  stages.push_back(std::make_unique<pipeline::OrientStage>());
  stages.push_back(std::make_unique<pipeline::DeskewStage>());
  stages.push_back(std::make_unique<pipeline::DewarpStage>());
  stages.push_back(std::make_unique<pipeline::CleanStage>());
  stages.push_back(std::make_unique<pipeline::RecognizeStage>(ocr::reader_options_for_model("")));
  for (auto& stage : stages) {
    auto start = std::chrono::steady_clock::now();
    page = stage->run(std::move(page));
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-12s %8.1f ms  %dx%d\n", stage->name(), ms, page.image.cols, page.image.rows);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: real_variants OUTDIR IMAGE VARIANT...|timing\n");
    return 1;
  }
  if (VIPS_INIT(argv[0])) return 2;
  fs::path out = argv[1];
  fs::path image = argv[2];
  const std::string name = image.stem().string();
  pipeline::ScanFile scan(image);
  if (std::string(argv[3]) == "timing") return timing(scan);
  const bool dump = std::getenv("DUMP") != nullptr;
  pipeline::RecognizeStage recognize(ocr::reader_options_for_model(""));
  for (int v = 3; v < argc; ++v) {
    const std::string variant = argv[v];
    const std::set<std::string> words = words_of(variant);
    auto has = [&](const char* word) { return words.count(word) > 0; };
    int read_dpi = pipeline::DeskewStage::kReadDpi;
    for (const std::string& w : words)
      if (w.size() > 1 && w[0] == 'd' && std::isdigit(static_cast<unsigned char>(w[1])))
        read_dpi = std::stoi(w.substr(1));
    pipeline::Page page = scan.load_page(1);
    if (has("nocol"))
      page.colour.release();
    else
      page = pipeline::ColourStage().run(std::move(page));
    page = pipeline::PerspectiveStage().run(std::move(page));
    page = pipeline::OrientStage().run(std::move(page));
    page = pipeline::DeskewStage(read_dpi).run(std::move(page));
    if (!has("nodewarp")) page = pipeline::DewarpStage().run(std::move(page));
    const double sigma = page.dpi / 220.0;
    const cv::Mat before_clean = page.image.clone();
    if (has("sharpfirst")) page.image = unsharp(page.image, sigma, 1.0);
    if (has("flat") || has("flatmed")) {
      page.image = ocr::flatten_background(ocr::remove_dark_borders(page.image));
      if (has("flatmed")) cv::medianBlur(page.image, page.image, 3);
    } else if (!has("noclean")) {
      page = pipeline::CleanStage().run(std::move(page));
    }
    if (has("rules")) page.image = ocr::remove_rules(page.image, page.dpi);
    if (has("sharp")) page.image = unsharp(page.image, sigma, 1.0);
    if (has("bin")) page.image = ocr::binarize(page.image);
    if (dump) cv::imwrite((out / (name + "." + variant + ".png")).string(), page.image);
    page = recognize.run(std::move(page));
    ocr::LineGuardStats guarded;
    if (has("guard")) {
      static ocr::LineReader lines(ocr::reader_options_for_model(""));
      ocr::LineGuardOptions options;
      if (const char* v = std::getenv("GUARD_BELOW")) options.unsure_below = std::stof(v);
      if (const char* v = std::getenv("GUARD_GAIN")) options.gain = std::stof(v);
      if (const char* v = std::getenv("GUARD_SCALE")) options.scale = std::stod(v);
      if (const char* v = std::getenv("GUARD_GIVE_UP")) options.give_up_after = std::stoi(v);
      const ocr::PageText first = page.text;
      auto start = std::chrono::steady_clock::now();
      guarded = ocr::guard_lines(page.text, before_clean, page.dpi, lines, options);
      std::printf(
          "guard: %d lines read, %d taken, %.0f ms\n", guarded.lines_read, guarded.lines_taken,
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
      if (std::getenv("GUARD_DEBUG") != nullptr) {
        for (size_t b = 0; b < first.blocks.size(); ++b) {
          for (size_t l = 0; l < first.blocks[b].lines.size(); ++l) {
            const ocr::Line& was = first.blocks[b].lines[l];
            const ocr::Line& now = page.text.blocks[b].lines[l];
            if (was.text == now.text) continue;
            std::fprintf(stderr, "  - %4.1f %s\n  + %4.1f %s\n", ocr::line_confidence(was),
                         was.text.c_str(), ocr::line_confidence(now), now.text.c_str());
          }
        }
      }
    }
    fs::create_directories(out / variant);
    std::ofstream(out / variant / (name + ".txt")) << page.text.text;
    std::printf("%-40s %-16s conf %5.1f text_dpi %4d dpi %4d %dx%d\n", name.substr(0, 40).c_str(),
                variant.c_str(), page.text.mean_confidence, page.text_dpi, page.dpi,
                page.image.cols, page.image.rows);
    std::fflush(stdout);
  }
  return 0;
}
