// Scores OCR readers against the samples' truth and prints one row per reader:
// CER, skew error, orientation accuracy, seconds per page.
//   ocr_score SETDIR RESULTSDIR READER...
// SETDIR holds NAME.truth.json (pages[].text, rotation, skew_deg). For each
// READER, RESULTSDIR/READER/ holds either NAME.show.json (`sohoa show --json`:
// pages[].text, rotation, skew_deg) or NAME-pN.txt (plain text of page N), and
// `seconds` (wall time of the whole run). A missing reading counts as empty.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "text/cer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Reading {
  std::string text;
  std::optional<int> rotation;
  std::optional<double> skew_deg;
};

struct Score {
  sohoa::text::CerCount cer;
  int pages = 0;
  int oriented = 0, oriented_right = 0;
  int skews = 0;  // pages within ±15° whose skew the reader reported
  double skew_error_sum = 0, skew_error_max = 0;
  int wide = 0, wide_found = 0;  // pages skewed beyond 15°, and those found within 0.5°
  double seconds = 0;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<Reading> readings_of(const fs::path& dir, const std::string& name, std::size_t pages) {
  std::vector<Reading> out(pages);
  fs::path show = dir / (name + ".show.json");
  if (fs::exists(show)) {
    json doc = json::parse(slurp(show), nullptr, false);
    if (doc.is_discarded() || !doc.contains("pages")) return out;
    for (const auto& page : doc["pages"]) {
      std::size_t n = page.value("page", 0);
      if (n < 1 || n > pages) continue;
      Reading& r = out[n - 1];
      r.text = page.value("text", "");
      if (page.contains("rotation") && page["rotation"].is_number())
        r.rotation = page["rotation"].get<int>();
      if (page.contains("skew_deg") && page["skew_deg"].is_number())
        r.skew_deg = page["skew_deg"].get<double>();
    }
    return out;
  }
  for (std::size_t n = 1; n <= pages; ++n) {
    fs::path text = dir / (name + "-p" + std::to_string(n) + ".txt");
    if (fs::exists(text)) out[n - 1].text = slurp(text);
  }
  return out;
}

void add_page(Score& s, const json& truth, const Reading& r) {
  sohoa::text::CerCount c = sohoa::text::character_errors(truth.value("text", ""), r.text);
  s.cer.edits += c.edits;
  s.cer.truth_chars += c.truth_chars;
  ++s.pages;
  if (r.rotation) {
    ++s.oriented;
    s.oriented_right += *r.rotation == truth.value("rotation", 0);
  }
  if (r.skew_deg) {
    double truth_skew = truth.value("skew_deg", 0.0);
    double error = std::abs(*r.skew_deg - truth_skew);
    if (std::abs(truth_skew) <= 15) {
      ++s.skews;
      s.skew_error_sum += error;
      s.skew_error_max = std::max(s.skew_error_max, error);
    } else {
      ++s.wide;
      s.wide_found += error <= 0.5;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: ocr_score SETDIR RESULTSDIR READER...\n");
    return 1;
  }
  fs::path set = argv[1], results = argv[2];
  std::vector<fs::path> truths;
  for (const auto& entry : fs::directory_iterator(set)) {
    std::string file = entry.path().filename().string();
    if (file.size() > 11 && file.ends_with(".truth.json")) truths.push_back(entry.path());
  }
  std::sort(truths.begin(), truths.end());
  std::printf("%-10s %6s %7s %9s %9s %10s %12s %8s\n", "reader", "pages", "CER", "skew mean",
              "skew max", "skew >15°", "orientation", "s/page");
  for (int i = 3; i < argc; ++i) {
    std::string reader = argv[i];
    fs::path dir = results / reader;
    Score s;
    for (const auto& path : truths) {
      json truth = json::parse(slurp(path));
      std::string name = path.filename().string();
      name = name.substr(0, name.size() - std::string(".truth.json").size());
      const auto& pages = truth.at("pages");
      std::vector<Reading> readings = readings_of(dir, name, pages.size());
      for (std::size_t p = 0; p < pages.size(); ++p) add_page(s, pages[p], readings[p]);
    }
    std::string seconds = slurp(dir / "seconds");
    s.seconds = seconds.empty() ? 0 : std::stod(seconds);
    char skew_mean[32] = "-", skew_max[32] = "-", wide[32] = "-", orientation[32] = "-";
    if (s.skews) {
      std::snprintf(skew_mean, sizeof skew_mean, "%.3f°", s.skew_error_sum / s.skews);
      std::snprintf(skew_max, sizeof skew_max, "%.3f°", s.skew_error_max);
    }
    if (s.wide) std::snprintf(wide, sizeof wide, "%d/%d", s.wide_found, s.wide);
    if (s.oriented)
      std::snprintf(orientation, sizeof orientation, "%d/%d", s.oriented_right, s.pages);
    std::printf("%-10s %6d %6.2f%% %9s %9s %10s %12s %8.2f\n", reader.c_str(), s.pages,
                100 * s.cer.rate(), skew_mean, skew_max, wide, orientation,
                s.pages ? s.seconds / s.pages : 0.0);
  }
  return 0;
}
