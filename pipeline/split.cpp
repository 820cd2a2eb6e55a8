#include "pipeline/split.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <stdexcept>

#include "pipeline/stages/codes.h"
#include "text/vntext.h"

namespace sohoa::pipeline {
namespace {

// Letters and digits of the folded line, nothing else: OCR spaces and
// punctuation around the words of the national name come and go.
std::string squeezed(const std::string& folded) {
  std::string out;
  for (char c : folded) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// The lines whose middle lies in the top third of the page: where Decree 30
// puts the issuing body, the number and the national name and motto.
std::vector<const ocr::Line*> head_lines(const ocr::PageText& text) {
  std::vector<const ocr::Line*> out;
  int height = text.height;
  for (const auto& block : text.blocks) {
    for (const auto& line : block.lines) {
      if (height <= 0 || line.box.y + line.box.h / 2 < height / 3) out.push_back(&line);
    }
  }
  return out;
}

}  // namespace

SplitMode parse_split_mode(const std::string& name) {
  if (name == "none") return SplitMode::kNone;
  if (name == "separator") return SplitMode::kSeparator;
  if (name == "auto") return SplitMode::kAuto;
  throw std::invalid_argument("--split: '" + name + "' is not one of separator, auto, none");
}

OpeningEvidence opening_evidence(const ocr::PageText& text) {
  static const std::regex number_re(R"((^|[^a-z0-9])s[o0]\s*[:;]\s*\S)");
  OpeningEvidence e;
  for (const ocr::Line* line : head_lines(text)) {
    std::string folded = text::fold(line->text);
    std::string bare = squeezed(folded);
    if (contains(bare, "conghoa") || contains(bare, "xahoichu") || contains(bare, "chunghia")) {
      e.national_name = true;
    }
    if (contains(bare, "doclap") || contains(bare, "hanhphuc") ||
        (contains(bare, "tudo") && folded.find('-') != std::string::npos)) {
      e.motto = true;
    }
    if (std::regex_search(folded, number_re)) e.number_line = true;
  }
  return e;
}

std::vector<int> separator_pages(const std::vector<Page>& pages) {
  std::vector<int> out;
  for (const auto& p : pages) {
    if (has_separator_code(p.codes)) out.push_back(p.number);
  }
  return out;
}

std::vector<StackPart> plan_split(const std::vector<Page>& pages, SplitMode mode) {
  std::vector<StackPart> parts;
  if (pages.empty()) return parts;
  if (mode == SplitMode::kNone) {
    parts.push_back({pages.front().number, pages.back().number, {}});
    return parts;
  }
  bool open = false;  // a part is being filled
  for (const Page& page : pages) {
    if (has_separator_code(page.codes)) {
      open = false;
      continue;
    }
    bool cut = !open;
    std::string reason;
    if (mode == SplitMode::kAuto && open) {
      OpeningEvidence e = opening_evidence(page.text);
      int score = e.score();
      if (score >= 2) cut = true;
      if (score == 2) {
        reason = "split: page " + std::to_string(page.number) +
                 " taken as the first page of a document on a partly read header";
      } else if (score == 1 && (e.national_name || e.motto)) {
        reason = "split: page " + std::to_string(page.number) +
                 " may open another document (header damaged)";
      }
    }
    if (cut) {
      parts.push_back({page.number, page.number, {}});
      open = true;
    } else {
      parts.back().last = page.number;
    }
    if (!reason.empty()) parts.back().review_reasons.push_back(reason);
  }
  return parts;
}

std::string part_suffix(const StackPart& part) {
  return "#" + std::to_string(part.first) + "-" + std::to_string(part.last);
}

}  // namespace sohoa::pipeline
