// Measures --split on generated stacks (sohoa-samples --stacks): reads every
// page of each stack through the standard stages once, timing the codes
// stage and the cut decision against the page's OCR, then compares the cuts
// of both modes with the truth.
//   split_eval STACK_DIR
// Prints per stack and in total: cut precision and recall (a cut is the first
// page of a document other than the file's first), the share of documents
// whose page range is exactly right, separator pages kept in a document, and
// seconds per page for codes, split decision and OCR.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <vips/vips8>

#include "pipeline/stages/clean.h"
#include "pipeline/stages/codes.h"
#include "pipeline/stages/deskew.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/orient.h"
#include "pipeline/stages/recognize.h"
#include "pipeline/split.h"

using namespace sohoa;
namespace fs = std::filesystem;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

struct Score {
  int true_cuts = 0, found_cuts = 0, right_cuts = 0;
  int documents = 0, documents_right = 0;
  int separators_kept = 0, review_parts = 0, parts = 0;
  void add(const Score& o) {
    true_cuts += o.true_cuts;
    found_cuts += o.found_cuts;
    right_cuts += o.right_cuts;
    documents += o.documents;
    documents_right += o.documents_right;
    separators_kept += o.separators_kept;
    review_parts += o.review_parts;
    parts += o.parts;
  }
  void print(const char* label) const {
    auto pct = [](int a, int b) { return b == 0 ? 100.0 : 100.0 * a / b; };
    std::printf(
        "%-28s cuts %3d/%3d found %3d  precision %6.2f%%  recall %6.2f%%  documents right "
        "%3d/%3d (%6.2f%%)  separator pages kept %d  parts to review %d/%d\n",
        label, right_cuts, true_cuts, found_cuts, pct(right_cuts, found_cuts),
        pct(right_cuts, true_cuts), documents_right, documents, pct(documents_right, documents),
        separators_kept, review_parts, parts);
  }
};

Score score(const std::vector<pipeline::StackPart>& parts, const nlohmann::json& truth) {
  Score s;
  std::set<int> true_cuts, found;
  std::set<std::pair<int, int>> true_docs;
  for (const auto& d : truth["documents"]) {
    int first = d["first"], last = d["last"];
    if (first != truth["documents"][0]["first"].get<int>()) true_cuts.insert(first);
    true_docs.insert({first, last});
  }
  std::set<int> seps;
  for (int p : truth["separators"]) seps.insert(p);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) found.insert(parts[i].first);
    if (true_docs.count({parts[i].first, parts[i].last})) ++s.documents_right;
    for (int p = parts[i].first; p <= parts[i].last; ++p) s.separators_kept += seps.count(p);
    if (!parts[i].review_reasons.empty()) ++s.review_parts;
  }
  s.parts = static_cast<int>(parts.size());
  s.true_cuts = static_cast<int>(true_cuts.size());
  s.found_cuts = static_cast<int>(found.size());
  for (int c : found) s.right_cuts += true_cuts.count(c);
  s.documents = static_cast<int>(true_docs.size());
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: split_eval STACK_DIR\n");
    return 1;
  }
  if (VIPS_INIT(argv[0])) return 2;
  pipeline::CodesStage codes;
  pipeline::OrientStage orient;
  pipeline::DeskewStage deskew;
  pipeline::CleanStage clean;
  pipeline::RecognizeStage recognize;

  std::vector<fs::path> truths;
  for (const auto& e : fs::directory_iterator(argv[1])) {
    if (e.path().string().ends_with(".truth.json")) truths.push_back(e.path());
  }
  std::sort(truths.begin(), truths.end());
  Score sep_total, auto_plain_total, auto_sep_total;
  double t_codes = 0, t_split = 0, t_ocr = 0, t_restore = 0;
  int pages_read = 0;
  for (const auto& truth_path : truths) {
    nlohmann::json truth = nlohmann::json::parse(std::ifstream(truth_path));
    fs::path file = truth_path.parent_path() / truth["file"].get<std::string>();
    pipeline::ScanFile scan(file);
    std::vector<pipeline::Page> pages;
    for (int n = 1; n <= scan.page_count(); ++n) {
      pipeline::Page page = scan.load_page(n);
      auto t = std::chrono::steady_clock::now();
      page = codes.run(std::move(page));
      t_codes += seconds_since(t);
      t = std::chrono::steady_clock::now();
      page = clean.run(deskew.run(orient.run(std::move(page))));
      t_restore += seconds_since(t);
      t = std::chrono::steady_clock::now();
      page = recognize.run(std::move(page));
      t_ocr += seconds_since(t);
      page.image.release();
      pages.push_back(std::move(page));
      ++pages_read;
    }
    auto t = std::chrono::steady_clock::now();
    auto sep_parts = pipeline::plan_split(pages, pipeline::SplitMode::kSeparator);
    auto auto_parts = pipeline::plan_split(pages, pipeline::SplitMode::kAuto);
    t_split += seconds_since(t) / 2;
    bool with_separators = !truth["separators"].empty();
    Score auto_score = score(auto_parts, truth);
    std::string name = file.filename().string();
    if (with_separators) {
      Score s = score(sep_parts, truth);
      s.print((name + " separator").c_str());
      sep_total.add(s);
      auto_sep_total.add(auto_score);
    } else {
      auto_plain_total.add(auto_score);
    }
    auto_score.print((name + " auto").c_str());
    std::fflush(stdout);
  }
  std::printf("\n");
  sep_total.print("TOTAL separator (sep stacks)");
  auto_sep_total.print("TOTAL auto (sep stacks)");
  auto_plain_total.print("TOTAL auto (no separators)");
  double per_page = pages_read ? 1.0 / pages_read : 0;
  std::printf(
      "pages %d; seconds per page: codes %.4f, split decision %.6f, restore %.3f, OCR %.3f; "
      "splitting adds %.2f%% of the OCR time (codes + decision)\n",
      pages_read, t_codes * per_page, t_split * per_page, t_restore * per_page, t_ocr * per_page,
      t_ocr > 0 ? 100.0 * (t_codes + t_split) / t_ocr : 0.0);
  vips_shutdown();
  return 0;
}
