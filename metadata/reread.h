// Field re-reads: which regions of a page are worth reading again on their
// own (pipeline/stages/reread.h has the pixels and does it), and what the
// readings confirm. Pixel-free, like the rest of metadata/: it sees the
// page's layout and the words of the readings only.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "ocr/page_text.h"

namespace sohoa::metadata {

// OCR confidence (0..100) under which a word holding a slot's digits is
// read again (the bar of a citizen id; a number or date needs less).
constexpr float kRereadBelow = 85;

// The regions of `page` (its layout, boxes in its pixels) holding a slot
// the extractor needs digits from, read unsurely: the "Số:" number and the
// place-and-date line in the top 45% of the page, a "Mã hồ sơ:" dossier code
// and the digits after a citizen id's keyword anywhere. A slot is taken
// when one of its words is under kRereadBelow or its parser finds no value
// or a doubt. Each region is the run of words of the slot (a Tesseract line
// cut where the gap is wider than one and a half word heights, so the
// header's other column stays out). At most `limit` regions, in reading
// order.
std::vector<ocr::Box> reread_regions(const ocr::PageText& page, std::size_t limit = 6);

// The re-reads of `page` over `box`: on its row (overlapping it by half
// the smaller height) and mostly (60% of their width) within it.
std::vector<const ocr::Reread*> rereads_over(const ocr::PageText& page, const ocr::Box& box);

// One reading's value for a slot. `repaired`: the reading had a letter in
// a digit position that stands for one digit only (I, l, |, ! for 1; O for
// 0; never S, which is 5 or 8), and `value` is the reading with it as that
// digit.
struct Vote {
  std::string value;
  bool repaired = false;
};

// What the readings of a re-read agree on: every reading (two at least)
// gives `read(text)` (a std::optional<Vote>) the same value, at least one
// without repair; `digit_confidence` is that of the surest reading without
// repair (the lowest confidence, 0..1, of its words holding a digit): the
// two models agree on every character and one of them is sure of its
// digits. (Seeds 301-304: the page's model read "I79/TB-UBND" at 0.56, the
// other "179/TB-UBND" at 0.92; "H46.18-23 1024-6008" at 0.34 and
// "H46.18-231024-6008" at 0.90.) `read` returns nullopt for a reading it
// cannot take (no value, or a doubt). Nullopt when fewer than two readings,
// or any is not taken or disagrees.
struct Agreement {
  std::string value;
  double digit_confidence = 1.0;
};
template <typename Read>
std::optional<Agreement> agreed_reading(const ocr::Reread& reread, Read read);

// The one 9- or 12-digit citizen id a re-read of an id's digits reads.
std::optional<Vote> citizen_id_in(const std::string& reading);

// `text` with the letters that stand for one digit only (I, l, |, ! -> 1;
// O, o -> 0) in a run of digits made digits; `*changed` says whether any was.
std::string unambiguous_digits(const std::string& text, bool* changed);

// Lowest confidence (0..1) of the words of `line` holding a digit; 1 when none.
double digit_confidence(const ocr::Line& line);

template <typename Read>
std::optional<Agreement> agreed_reading(const ocr::Reread& reread, Read read) {
  if (reread.readings.size() < 2) return std::nullopt;
  std::optional<Agreement> agreed;
  bool unrepaired = false;
  for (const ocr::Line& line : reread.readings) {
    std::optional<Vote> vote = read(line.text);
    if (!vote || (agreed && agreed->value != vote->value)) return std::nullopt;
    if (!agreed) agreed = Agreement{vote->value, 0.0};
    if (vote->repaired) continue;
    unrepaired = true;
    agreed->digit_confidence = std::max(agreed->digit_confidence, digit_confidence(line));
  }
  if (!unrepaired) return std::nullopt;
  return agreed;
}

}  // namespace sohoa::metadata
