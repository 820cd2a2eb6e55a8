// Deciding where a stack scanned as one file is cut into documents (ingest
// --split): pure functions over what the page stages learned (codes, OCR
// layout), so cutting costs no extra reading of the pages.
#pragma once

#include <string>
#include <vector>

#include "ocr/page_text.h"
#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

enum class SplitMode { kNone, kSeparator, kAuto };

// "none" | "separator" | "auto"; throws std::invalid_argument otherwise.
SplitMode parse_split_mode(const std::string& name);

// What the head of a page (its top third) shows of a Decree 30 opening: the
// national name (CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM), the motto (Độc lập - Tự
// do - Hạnh phúc) and the "Số:" line.
struct OpeningEvidence {
  bool national_name = false;
  bool motto = false;
  bool number_line = false;
  int score() const { return int(national_name) + int(motto) + int(number_line); }
};

OpeningEvidence opening_evidence(const ocr::PageText& text);

// One document cut from a stack: pages FIRST..LAST of the file (1-based,
// inclusive; separator sheets are never inside a part).
struct StackPart {
  int first = 1;
  int last = 1;
  // Why a person should check this part's cut ("split: …"); empty when the
  // cut is clear.
  std::vector<std::string> review_reasons;
};

// The parts of a file whose pages, in order, are `pages` (their numbers,
// codes and OCR text are used). kNone: one part, all pages. kSeparator: cut
// at each page bearing a separator code, which is dropped. kAuto: also cut
// before each page whose head shows at least two of the three opening marks;
// a part is sent to review when a cut rests on two marks only, or when one
// of its pages shows the national name or motto alone (a damaged header).
// A file of separator sheets only gives no part.
std::vector<StackPart> plan_split(const std::vector<Page>& pages, SplitMode mode);

// The pages dropped as separator sheets (their numbers).
std::vector<int> separator_pages(const std::vector<Page>& pages);

// SPEC identity of a part: "PATH#FIRST-LAST" and "HEX#FIRST-LAST".
std::string part_suffix(const StackPart& part);

}  // namespace sohoa::pipeline
