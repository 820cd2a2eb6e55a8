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
// printed, lower = repaired or not validated). `doubt` is non-empty when the
// value cannot be trusted at all (a letter read where a digit is printed,
// "tháng S"): the caller must not store it, and says `doubt` to a person.
struct Parsed {
  std::string value;
  double quality = 1.0;
  std::string doubt;
};

// "Số: 392/QĐ-UBND" -> "392/QĐ-UBND". Accepts "Sô:", "S6:", "Số :", no
// colon, spaces inside the number; repairs "QD" in the symbol. A letter or
// sign in a digit position (O for 0, l for 1, S for 5 or 8, "#45") is never
// repaired into a digit: the result then carries a `doubt`. A numeric part
// after the number that is not a year ("4/35/SGDĐT") is doubtful too.
// Nullopt unless the line starts with "Số" and the value has the
// NUMBER/SYMBOL form.
std::optional<Parsed> doc_number(std::string_view line);

// Normalizes a number already cut from its "Số:" (used for corrections too).
std::optional<Parsed> normalize_doc_number(std::string_view raw);

// True when every part of the symbol after the number is a known document
// type or body abbreviation ("QĐ-UBND", "GPXD", "TB-UBND").
bool known_symbol(std::string_view doc_number);

struct DateLine {
  std::string place;  // as printed before ", ngày"; empty when the line has none
  std::string iso;    // YYYY-MM-DD; empty when `doubt` is set
  double quality = 1.0;
  std::string doubt;  // non-empty: a letter in a digit position; do not store
  // With a doubt: the real dates the look-alikes could stand for (S as 5 or
  // 8, O as 0, l as 1), for a date printed elsewhere to confirm.
  std::vector<std::string> candidates;
};

// "Hòa Đồng, ngày 03 tháng 6 năm 2022" -> {"Hòa Đồng", "2022-06-03"}.
// Accepts lost accents ("ngay thang nam") and lost spaces. Digits read as
// letters ("tháng S", "ngày l2") give a DateLine with the place, an empty
// iso and a `doubt`. Nullopt unless the line is a date line and, when its
// digits are digits, a real calendar date.
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
// searched too when the keyword ends `line`. A number with letters in digit
// positions is left out and sets *doubtful (when given).
std::vector<std::string> citizen_ids(std::string_view line, std::string_view next_line = {},
                                     bool* doubtful = nullptr);

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

// Digit look-alikes repaired: O/o -> 0, l/I/i/| -> 1, S/s -> 5. Other chars
// kept. Only for reading a number whose doubt is recorded; never to store.
std::string repair_digits(std::string_view text);

// A rank, academic or professional title in front of a name ("Trung tá",
// "Đại úy", "TS.", "ThS.", "PGS.TS.", "BS.") removed: "Trung tá Ngô Văn
// Công" -> "Ngô Văn Công". Unchanged when there is none.
std::string without_rank(std::string_view line);

// The SPEC marks printed on a page, or "" when none: urgency "KHẨN",
// "THƯỢNG KHẨN", "HỎA TỐC"; secrecy "MẬT", "TỐI MẬT", "TUYỆT MẬT"; copy
// "SAO Y", "SAO LỤC", "TRÍCH SAO". `line` must be the mark alone (a stamp
// or a line of its own, maybe with "BẢN" before a copy mark).
std::string urgency_mark(std::string_view line);
std::string secrecy_mark(std::string_view line);
std::string copy_mark(std::string_view line);

// NFC, runs of spaces folded: the SPEC's form for every value.
std::string clean(std::string_view text);

// Levenshtein distance between two byte strings (used on folds).
int edit_distance(std::string_view a, std::string_view b);

}  // namespace sohoa::metadata::parse
