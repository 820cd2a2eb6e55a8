// Per-page CER of sohoa's standard page chain (restoration + OCR) on a
// generated set, without the database: for finding which pages read badly.
//   chain_cer SETDIR [NAME...]     (NAME: a document's name without extension)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>
#include <vips/vips8>

#include "pipeline/stages/chain.h"
#include "pipeline/stages/load.h"
#include "text/cer.h"

namespace fs = std::filesystem;
using namespace sohoa;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

fs::path scan_of(const fs::path& set, const std::string& name) {
  for (const auto& entry : fs::directory_iterator(set)) {
    std::string file = entry.path().filename().string();
    if (file.starts_with(name + ".") && !file.ends_with(".truth.json")) return entry.path();
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: chain_cer SETDIR [NAME...]\n");
    return 1;
  }
  if (VIPS_INIT(argv[0])) return 2;
  fs::path set = argv[1];
  std::vector<std::string> names(argv + 2, argv + argc);
  if (names.empty()) {
    for (const auto& entry : fs::directory_iterator(set)) {
      std::string file = entry.path().filename().string();
      if (file.ends_with(".truth.json")) names.push_back(file.substr(0, file.size() - 11));
    }
  }
  pipeline::PageChain chain = pipeline::PageChain::standard();
  text::CerCount total;
  for (const auto& name : names) {
    auto truth = nlohmann::json::parse(slurp(set / (name + ".truth.json")));
    pipeline::ScanFile scan(scan_of(set, name));
    for (int n = 1; n <= scan.page_count(); ++n) {
      pipeline::Page page = chain.run(scan.load_page(n));
      const auto& known = truth["pages"][n - 1];
      text::CerCount c = text::character_errors(known["text"].get<std::string>(), page.text.text);
      total.edits += c.edits;
      total.truth_chars += c.truth_chars;
      std::printf("%-16s p%d CER %6.2f%%  rotation %3d/%3d  skew %6.2f/%6.2f  %s\n", name.c_str(),
                  n, 100 * c.rate(), page.rotation, known["rotation"].get<int>(), page.skew_deg,
                  known["skew_deg"].get<double>(), known["degradations"].dump().c_str());
    }
  }
  std::printf("total CER %.2f%%\n", 100 * total.rate());
  return 0;
}
