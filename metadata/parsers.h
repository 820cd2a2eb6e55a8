// Parsers for the metadata fields of a Vietnamese administrative document
// (Decree 30/2020/NĐ-CP), working on single OCR lines. They tolerate the
// damage Tesseract does to degraded scans (lost accents and colons, O for 0,
// l for 1, "QD" for "QĐ", stray spaces) and validate what they read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sohoa::metadata::parse {

// A line with a one-byte-per-code-point fold ("Số: 3" -> "so: 3"), so that
// a match in the fold maps straight back to the printed text. Letters fold
// to lower-case ASCII without marks; a code point with no ASCII fold becomes
// '~'.
class AlignedText {
 public:
  explicit AlignedText(std::string_view utf8);
  const std::string& folded() const { return folded_; }
  std::size_t size() const { return code_points_.size(); }
  // The printed text of code points [from, to).
  std::string original(std::size_t from, std::size_t to) const;
  char32_t at(std::size_t i) const { return code_points_[i]; }

 private:
  std::u32string code_points_;
  std::string folded_;
};

// A parsed value and how much it had to be repaired to be read (1 = read as
// printed, lower = repaired or not validated).
struct Parsed {
  std::string value;
  double quality = 1.0;
};

// "Số: 392/QĐ-UBND" -> "392/QĐ-UBND". Accepts "Sô:", "S6:", "Số :", no
// colon, spaces inside the number; repairs O/0 and l/1 in the digits and
// "QD" in the symbol. Nullopt unless the line starts with "Số" and the value
// has the NUMBER/SYMBOL form.
std::optional<Parsed> doc_number(std::string_view line);

// Normalizes a number already cut from its "Số:" (used for corrections too).
std::optional<Parsed> normalize_doc_number(std::string_view raw);

// True when every part of the symbol after the number is a known document
// type or body abbreviation ("QĐ-UBND", "GPXD", "TB-UBND").
bool known_symbol(std::string_view doc_number);

struct DateLine {
  std::string place;  // as printed before ", ngày"; empty when the line has none
  std::string iso;    // YYYY-MM-DD
  double quality = 1.0;
};

// "Hòa Đồng, ngày 03 tháng 6 năm 2022" -> {"Hòa Đồng", "2022-06-03"}.
// Accepts lost accents ("ngay thang nam"), digits read as O/l, lost spaces.
// Nullopt unless the date is a real calendar date.
std::optional<DateLine> date_line(std::string_view line);

// A date line with one of day, month, year unreadable ("tháng TÌ"), to be
// completed from a date printed elsewhere.
struct PartialDate {
  std::string place;
  std::optional<std::string> day, month, year;  // digits, or nullopt when unreadable
};
std::optional<PartialDate> partial_date_line(std::string_view line);

// True when exactly two components are readable and both equal `iso`'s.
bool agrees(const PartialDate& partial, const std::string& iso);

// True when the line holds the start of a "ngày … tháng … năm" date that may
// continue on the next line.
bool starts_date(std::string_view line);

// "2022-06-03" or "03/06/2022" -> "2022-06-03"; nullopt when not a real date.
std::optional<std::string> iso_date(std::string_view text);

// Personal identifier numbers printed after "định danh", "CCCD", "CMND",
// "căn cước", "chứng minh": 12 digits (CCCD) or 9 (CMND). `next_line` is
// searched too when the keyword ends `line`.
std::vector<std::string> citizen_ids(std::string_view line, std::string_view next_line = {});

// True when the line names a personal identifier ("CCCD", "định danh", …).
bool mentions_citizen_id(std::string_view line);

// "Mã hồ sơ: H46.57-220603-3392" -> "H46.57-220603-3392".
std::optional<Parsed> dossier_code(std::string_view line);

// The date a one-stop-shop dossier code carries ("H46.57-220603-3392" ->
// "2022-06-03"), when it has one.
std::optional<std::string> dossier_date(std::string_view code);

// "Ngày, tháng, năm đăng ký: 05/08/2024" -> "2024-08-05".
std::optional<std::string> registration_date(std::string_view line);

// Share of letters that are capitals is high (at least two letters).
bool is_capitals(std::string_view line);

// "KT. CHỦ TỊCH" -> "CHỦ TỊCH"; also TM., Q., TL., TUQ. Unchanged otherwise.
std::string strip_signing_prefix(std::string_view line);
bool has_signing_prefix(std::string_view line);

// "Đặng Minh Bình": two to six words, each a capital then small letters.
bool looks_like_person_name(std::string_view line);

// Digit look-alikes repaired: O/o/D -> 0, l/I/i/| -> 1. Other chars kept.
std::string repair_digits(std::string_view text);

// NFC, runs of spaces folded: the SPEC's form for every value.
std::string clean(std::string_view text);

// Levenshtein distance between two byte strings (used on folds).
int edit_distance(std::string_view a, std::string_view b);

}  // namespace sohoa::metadata::parse
