// Character error rate of OCR text against its known truth.
#pragma once

#include <cstddef>
#include <string_view>

namespace sohoa::text {

struct CerCount {
  std::size_t edits = 0;        // insertions + deletions + substitutions
  std::size_t truth_chars = 0;  // code points of the truth (line breaks not counted)
  double rate() const { return truth_chars ? double(edits) / truth_chars : (edits ? 1.0 : 0.0); }
};

// Levenshtein distance, in Unicode code points, between the NFC forms of a and b.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Edits needed to turn the truth into the OCR text, counted independently of
// the order of lines: a page's blocks (the two-column letterhead, the body)
// may be read in any order, and two lines side by side may come out as one.
// Both texts are NFC-normalized, split into lines, runs of spaces folded and
// empty lines dropped. Then, as in "flexible character accuracy" (Clausner et
// al., 2020), the pair (truth piece, OCR piece) that fits best is matched
// repeatedly: the shorter is aligned inside the longer (free start and end),
// its edits counted, and what is left of the longer on either side goes back
// as new pieces. Pieces left unmatched count as deleted (truth) or inserted
// (OCR) characters. Line breaks are not characters; spaces inside lines are.
CerCount character_errors(std::string_view truth, std::string_view ocr);

// character_errors(truth, ocr).rate(): 0 for a perfect reading, and 1 when
// nothing was read.
double character_error_rate(std::string_view truth, std::string_view ocr);

}  // namespace sohoa::text
