// Scores OCR readers on pages with a plain-text truth and prints, per page and
// reader, the order-free character error rate (text/cer.h) and word error
// rate, then each reader's mean over the pages and its pooled rates.
//   real_score TRUTHDIR RESULTSDIR READER...
// TRUTHDIR holds NAME.txt (the page's text); RESULTSDIR/READER/NAME.txt is
// what READER read of it (missing: read nothing). WER: both texts lowercased,
// punctuation removed, each distinct word mapped to one code point, then the
// same order-free alignment as CER (each truth line aligned to its best place).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "text/cer.h"
#include "text/utf8.h"
#include "text/vntext.h"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Words of one line, lowercased, punctuation (ASCII) dropped.
std::vector<std::string> words_of(const std::string& line) {
  std::string lowered = sohoa::text::lower(line);
  std::vector<std::string> words;
  std::string word;
  for (char ch : lowered) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t' || c == '\r') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else if (c < 0x80 && !std::isalnum(c)) {
      continue;
    } else {
      word += ch;
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

// Each line as a string of word symbols (one private-use code point per word).
std::string encode_words(const std::string& text, std::map<std::string, char32_t>& symbols) {
  std::string out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    for (const std::string& w : words_of(line)) {
      auto [it, added] = symbols.emplace(w, 0xF0000 + static_cast<char32_t>(symbols.size()));
      sohoa::text::append_utf8(out, it->second);
    }
    out += '\n';
  }
  return out;
}

struct Totals {
  sohoa::text::CerCount chars, words;
  double cer_sum = 0, wer_sum = 0;
  int pages = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: real_score TRUTHDIR RESULTSDIR READER...\n");
    return 1;
  }
  fs::path truth_dir = argv[1], results = argv[2];
  std::vector<std::string> readers(argv + 3, argv + argc);
  std::vector<fs::path> truths;
  for (const auto& e : fs::directory_iterator(truth_dir))
    if (e.path().extension() == ".txt") truths.push_back(e.path());
  std::sort(truths.begin(), truths.end());

  std::vector<Totals> totals(readers.size());
  std::printf("%-44s", "page");
  for (const auto& r : readers) std::printf(" %11s CER  WER", r.c_str());
  std::printf("\n");
  for (const fs::path& truth_path : truths) {
    std::string name = truth_path.stem().string();
    std::string truth = slurp(truth_path);
    std::printf("%-44.44s", name.c_str());
    for (std::size_t i = 0; i < readers.size(); ++i) {
      std::string read = slurp(results / readers[i] / (name + ".txt"));
      auto chars = sohoa::text::character_errors(truth, read);
      std::map<std::string, char32_t> symbols;
      std::string tw = encode_words(truth, symbols);
      std::string rw = encode_words(read, symbols);
      auto words = sohoa::text::character_errors(tw, rw);
      Totals& t = totals[i];
      t.chars.edits += chars.edits;
      t.chars.truth_chars += chars.truth_chars;
      t.words.edits += words.edits;
      t.words.truth_chars += words.truth_chars;
      t.cer_sum += chars.rate();
      t.wer_sum += words.rate();
      ++t.pages;
      std::printf("      %6.2f%% %5.1f%%", 100 * chars.rate(), 100 * words.rate());
    }
    std::printf("\n");
  }
  std::printf("%-44s", "mean over pages");
  for (const Totals& t : totals)
    std::printf("      %6.2f%% %5.1f%%", 100 * t.cer_sum / std::max(1, t.pages),
                100 * t.wer_sum / std::max(1, t.pages));
  std::printf("\n%-44s", "pooled (all characters / words)");
  for (const Totals& t : totals)
    std::printf("      %6.2f%% %5.1f%%", 100 * t.chars.rate(), 100 * t.words.rate());
  std::printf("\n");
  return 0;
}
