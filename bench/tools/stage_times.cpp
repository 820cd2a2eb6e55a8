// Where a page's time goes in sohoa's page chain, one thread: CPU
// milliseconds per page for loading, each standard stage, and the layout JSON
// (and once, the chain's start: the engines its stages load up front), beside
// Tesseract reading the page as loaded (what the tesseract CLI does).
//   stage_times [--model fast|best] [--read-dpi N] [--sharp-dpi N] [--truth DIR]
//               [--no-plain] FILE...
// With --truth, DIR/NAME.truth.json (sohoa-samples' truth; NAME the file's
// name without extension) gives each page's text, and the CER is printed.
// Run it with OMP_THREAD_LIMIT=1, as ingest's workers are.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include <vips/vips8>

#include "ocr/layout_json.h"
#include "pipeline/stages/clean.h"
#include "pipeline/stages/codes.h"
#include "pipeline/stages/colour.h"
#include "pipeline/stages/deskew.h"
#include "pipeline/stages/dewarp.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/orient.h"
#include "pipeline/stages/perspective.h"
#include "pipeline/stages/recognize.h"
#include "pipeline/stages/reread.h"
#include "text/cer.h"

using namespace sohoa;

namespace {

// CPU time of this thread, ms: on a machine shared with other work, wall
// time measures the others as much as this program.
double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct Start {
  double cpu = thread_cpu_ms();
};

double ms_since(Start start) { return thread_cpu_ms() - start.cpu; }

}  // namespace

int main(int argc, char** argv) {
  if (VIPS_INIT(argv[0])) return 2;
  std::string model;
  int read_dpi = pipeline::DeskewStage::kReadDpi;
  int sharp_dpi = pipeline::DeskewStage::kSharpReadDpi;
  std::vector<std::string> files;
  std::filesystem::path truth_dir;
  bool plain_too = true;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--model" && i + 1 < argc) {
      model = argv[++i];
    } else if (arg == "--read-dpi" && i + 1 < argc) {
      read_dpi = std::atoi(argv[++i]);
    } else if (arg == "--sharp-dpi" && i + 1 < argc) {
      sharp_dpi = std::atoi(argv[++i]);
    } else if (arg == "--no-plain") {
      plain_too = false;
    } else if (arg == "--truth" && i + 1 < argc) {
      truth_dir = argv[++i];
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr,
                 "usage: stage_times [--model fast|best] [--read-dpi N] [--sharp-dpi N] [--truth "
                 "DIR] [--no-plain] "
                 "FILE...\n");
    return 1;
  }
  cv::setNumThreads(1);
  vips_concurrency_set(1);
  const ocr::ReaderOptions reader = ocr::reader_options_for_model(model);
  Start started;
  std::vector<std::unique_ptr<pipeline::PageStage>> stages;
  stages.push_back(std::make_unique<pipeline::CodesStage>());
  stages.push_back(std::make_unique<pipeline::ColourStage>());
  stages.push_back(std::make_unique<pipeline::PerspectiveStage>());
  stages.push_back(std::make_unique<pipeline::OrientStage>());
  stages.push_back(std::make_unique<pipeline::DeskewStage>(read_dpi, sharp_dpi));
  stages.push_back(std::make_unique<pipeline::DewarpStage>());
  stages.push_back(std::make_unique<pipeline::CleanStage>());
  stages.push_back(std::make_unique<pipeline::RecognizeStage>(reader));
  auto reread = std::make_unique<pipeline::RereadStage>(reader);
  pipeline::RereadStage* reread_stage = reread.get();
  stages.push_back(std::move(reread));
  const double start_ms = ms_since(started);
  ocr::TesseractReader plain(reader);

  std::vector<std::string> order{"load"};
  for (const auto& stage : stages) order.push_back(stage->name());
  order.push_back("layout json");
  std::map<std::string, double> ms;
  double plain_ms = 0;
  int pages = 0;
  text::CerCount chain_cer, plain_cer;
  for (const auto& file : files) {
    nlohmann::json truth;
    if (!truth_dir.empty()) {
      std::ifstream in(truth_dir / (std::filesystem::path(file).stem().string() + ".truth.json"));
      truth = nlohmann::json::parse(in);
    }
    pipeline::ScanFile scan(file);
    for (int n = 1; n <= scan.page_count(); ++n) {
      Start start;
      pipeline::Page page = scan.load_page(n);
      ms["load"] += ms_since(start);
      start = Start{};
      ocr::PageText plain_text = plain_too ? plain.read(page.image, page.dpi) : ocr::PageText{};
      plain_ms += ms_since(start);
      for (const auto& stage : stages) {
        start = Start{};
        page = stage->run(std::move(page));
        ms[stage->name()] += ms_since(start);
      }
      start = Start{};
      (void)ocr::layout_to_json(page.text);
      ms["layout json"] += ms_since(start);
      std::printf("%s p%d: read at %d dpi (text_dpi %d), %dx%d px", file.c_str(), n, page.dpi,
                  page.text_dpi, page.image.cols, page.image.rows);
      if (!truth.is_null()) {
        const std::string known = truth.at("pages").at(n - 1).at("text").get<std::string>();
        text::CerCount c = text::character_errors(known, page.text.text);
        text::CerCount p = text::character_errors(known, plain_text.text);
        std::printf(", CER %.2f%% (plain %.2f%%)", 100 * c.rate(), 100 * p.rate());
        chain_cer.edits += c.edits;
        chain_cer.truth_chars += c.truth_chars;
        plain_cer.edits += p.edits;
        plain_cer.truth_chars += p.truth_chars;
      }
      std::printf("\n");
      ++pages;
    }
  }
  double total = 0;
  for (const auto& [name, t] : ms) total += t;
  std::printf("\n%d pages, model %s, read dpi %d (sharp pages %d); CPU ms per page:\n", pages,
              model.empty() ? "default" : model.c_str(), read_dpi, sharp_dpi);
  for (const auto& name : order)
    std::printf("  %-12s %8.1f  %5.1f%%\n", name.c_str(), ms[name] / pages, 100 * ms[name] / total);
  std::printf("  %-12s %8.1f\n", "chain total", total / pages);
  std::printf("  %-12s %8.1f  (once: the stages' engines; re-read engines loaded: %d)\n",
              "chain start", start_ms, reread_stage->engines_loaded());
  std::printf("  %-12s %8.1f  (Tesseract on the page as loaded, at its file dpi)\n", "plain read",
              plain_ms / pages);
  if (!truth_dir.empty())
    std::printf("CER: chain %.2f%%, plain read %.2f%%\n", 100 * chain_cer.rate(),
                100 * plain_cer.rate());
  return 0;
}
