// What a generated administrative document says: its printed parts and the
// ground truth a reader of the scan should recover.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "samples/generator/date.h"
#include "samples/generator/random.h"
#include "samples/generator/units.h"

namespace sohoa::samples {

enum class Style { kRegular, kBold, kItalic, kBoldItalic };
enum class Align { kLeft, kCentre };

struct Paragraph {
  std::string text;
  Style style = Style::kRegular;
  Align align = Align::kLeft;
  int size_pt = 13;
  bool indent = true;  // first line indented, as body paragraphs are
};

// Values exactly as SPEC's `show --json` defines them.
struct Metadata {
  std::string doc_type;
  std::string doc_number;
  Date issued_date;
  std::string place;
  std::string authority;
  std::optional<std::string> subject;
  std::string signer;
  std::string signer_role;
  std::vector<std::string> citizen_ids;
  std::optional<std::string> dossier_code;  // printed "Mã hồ sơ:", when it is
  std::vector<std::string> recipients;      // "Nơi nhận:" entries, leading "- " dropped
  std::optional<std::string> urgency;       // "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC" stamped
  std::optional<std::string> copy_mark;  // "SAO Y", "SAO LỤC", "TRÍCH SAO": the page is a copy
  // The number's digits and the day were filled in by hand: printed, but
  // SPEC wants such fields null (the truth says null for both).
  bool hand_filled = false;
};

// One row of the one-stop-shop register (SPEC "Register").
struct RegisterRow {
  std::string unit;
  std::string doc_number;
  Date issued_date;
  Date valid_until;  // invalid = no expiry
  std::string dossier_code;
  std::string procedure_code;
  std::string doc_type;
  std::string title;
};

// The copy form Decree 30/2020 prints under the original's last line,
// below a rule across the text width: the copying body and "Số: N/SY-…" on
// the left, the mark and the place and date on the right, then the copy's
// signer block.
struct CopyBlock {
  std::string mark;  // "SAO Y", "SAO LỤC", "TRÍCH SAO"
  std::vector<std::string> body_lines;
  std::string number_line;  // "Số: 12/SY-UBND" (SL for SAO LỤC, TS for TRÍCH SAO)
  std::string date_line;
  std::vector<std::string> roles;
  std::string signer;
};

// A round red seal over the signer block: the issuing body's name around
// the ring, a star in the middle. Offsets are from the centre of the last
// role line's row (pixels at 300 dpi).
struct Seal {
  std::string text;
  int dx = 0, dy = 0;
  int radius = 215;
  double turn_deg = 0.0;  // where the text starts on the ring
};

struct Document {
  const Unit* unit = nullptr;
  Metadata metadata;
  RegisterRow register_row;

  // Header, left column: an optional parent line, the issuing body (bold), a
  // short rule, then "Số: ...".
  std::optional<std::string> parent_line;
  std::vector<std::string> authority_lines;
  std::string number_line;
  // An urgency mark printed under the number (bold capitals), when any.
  std::optional<std::string> urgency_line;
  // A letter (công văn): no title; its subject "V/v …" under the number, in
  // the left column, one line each.
  std::vector<std::string> letter_lines;
  // Written by hand after signing (empty: printed): the number's digits in
  // the "Số:" line and the day in the date line.
  std::string hand_number;
  std::string hand_day;
  // Centres (pixels at 300 dpi) of the header's two columns.
  int left_centre = 740;
  int right_centre = 1740;
  // Header, right column: national name, motto, rule, italic place and date.
  std::string date_line;
  std::vector<std::string> title_lines;
  std::optional<Paragraph> subject;
  std::vector<Paragraph> body;
  // Footer: "Nơi nhận:" list on the left, signer block on the right.
  std::vector<std::string> recipients;
  std::vector<std::string> signer_roles;  // e.g. {"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"}
  std::string signer_name;
  std::optional<Seal> seal;
  std::optional<CopyBlock> copy;

  int wanted_pages = 1;
  bool numbered_pages = false;  // continuation pages carry their number at the top
  // More body text to add, paragraph by paragraph, until wanted_pages is reached.
  std::vector<Paragraph> filler;
};

struct ComposeOptions {
  Date first_date{2021, 1, 4};
  Date last_date{2026, 10, 30};
  double multipage_share = 0.2;
  std::optional<int> pages;  // every document has this many pages
  // Vary what real headers vary (column centres and gap, a one-line
  // "UBND XÃ …" body, urgency marks, letters with "V/v" and no title, the
  // number and day filled in by hand), from a sub-stream of its own so that
  // every other draw, and so every document without it, stays the same.
  bool vary_layout = false;
};

// Every document type the generator writes, in capitals as printed.
const std::vector<std::string>& document_types();

// Composes one document issued by a unit valid at its date. `used_numbers`
// keeps (unit, doc_number, date) keys unique across a run.
Document compose_document(Random rng, const std::vector<Unit>& units, const ComposeOptions& options,
                          std::set<std::string>& used_numbers);

}  // namespace sohoa::samples
