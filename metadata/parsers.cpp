#include "metadata/parsers.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>
#include <set>

#include "text/utf8.h"
#include "text/vntext.h"

namespace sohoa::metadata::parse {
namespace {

// Input is NFC text from text::nfc, so it is valid UTF-8.
std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
    char32_t c = extra == 0 ? b : extra == 1 ? (b & 0x1F) : extra == 2 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k <= extra && i + k < s.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out += c;
    i += 1 + extra;
  }
  return out;
}

constexpr char32_t kFoldTableSize = 0x2100;

// Built once (thread-safe static init): folding each code point through ICU
// per call would dominate extraction time.
const std::array<char, kFoldTableSize>& fold_table() {
  static const std::array<char, kFoldTableSize> table = [] {
    std::array<char, kFoldTableSize> t{};
    for (char32_t c = 0; c < kFoldTableSize; ++c) {
      if (c < 0x80) {
        t[c] = static_cast<char>(std::tolower(static_cast<int>(c)));
        continue;
      }
      t[c] = '~';
      if (c >= 0xD800 && c < 0xE000) continue;
      std::string one;
      text::append_utf8(one, c);
      std::string f = text::fold(one);
      if (f.size() == 1 && static_cast<unsigned char>(f[0]) < 0x80) t[c] = f[0];
    }
    for (char32_t dash : {0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015}) t[dash] = '-';
    t[0x00A0] = ' ';
    t[0x00A7] = 's';  // "§ố:": Tesseract's reading of a bold "Số:"
    t['$'] = 's';
    return t;
  }();
  return table;
}

char fold_code_point(char32_t c) { return c < kFoldTableSize ? fold_table()[c] : '~'; }

bool is_digit_like(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || c == 'o' || c == 'O' || c == 'l' ||
         c == 'I' || c == 'i' || c == '|' || c == 'S' || c == 's';
}

char repaired_digit(char c) {
  switch (c) {
    case 'O':
    case 'o':
      return '0';
    case 'l':
    case 'I':
    case 'i':
    case '|':
      return '1';
    case 'S':
    case 's':
      return '5';
    case ']':
    case '[':
    case '!':
    case 't':
    case 'T':
      return '1';
    default:
      return c;
  }
}

std::string trim(std::string_view s, std::string_view junk = " ") {
  std::size_t b = s.find_first_not_of(junk);
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(junk);
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

bool valid_calendar_date(int y, int m, int d) {
  if (y < 1945 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int days = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= days;
}

std::string format_iso(int y, int m, int d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// OCR reads Đ as D; these symbol parts only exist with Đ.
std::string repair_symbol_part(const std::string& part) {
  static const std::vector<std::pair<std::string, std::string>> kRepairs = {
      {"QD", "QĐ"}, {"HDND", "HĐND"}, {"QyD", "QyĐ"}, {"DKKD", "ĐKKD"}, {"DKHKD", "ĐKHKD"}};
  for (const auto& [seen, printed] : kRepairs) {
    if (part == seen) return printed;
  }
  return part;
}

const std::set<std::string>& known_symbol_parts() {
  static const std::set<std::string> parts = {
      "QĐ",   "NQ",    "CT",   "QC",   "QyĐ",    "QyC",  "HD",    "HĐ",   "TB",    "BC",   "KH",
      "GP",   "GCN",   "GXN",  "GUQ",  "GM",     "GGT",  "PB",    "BB",   "TTr",   "CV",   "CĐ",
      "PA",   "ĐA",    "CTr",  "TT",   "PL",     "UBND", "HĐND",  "XD",   "GPXD",  "SXD",  "TP",
      "TCKH", "KT",    "KTHT", "VP",   "CA",     "BS",   "KS",    "KH",   "ĐKKD",  "HKD",  "TLKS",
      "TLKH", "ĐKHKD", "TNMT", "TCKT", "LĐTBXH", "VHTT", "TLKT",  "ĐKKH", "GCNKH", "GKS",  "TP-KS",
      "TPHT", "HT",    "XN",   "CN",   "ĐK",     "STP",  "SKHĐT", "BCH",  "ĐU",    "MTTQ", "CAX"};
  return parts;
}

const std::regex& date_regex() {
  static const std::regex re(
      R"((^|[^a-z])(ng[a-z]{0,2}[yv])[\s.,:]*([0-9oils|!\]\[] ?[0-9oils|!\]\[t]?)[\s.,]*(th[a-z]{1,3}g|t[a-z]{1,3}ng)[\s.,:]*([0-9oils|!\]\[t] ?[0-9oils|!\]\[t]?)[\s.,]*(n ?[a-z]{1,2}m)[\s.,:]*(?:[a-z]{1,2}\s)?([0-9oils|]{4}))");
  return re;
}

// "QĐĐ" or "QĐÐ": OCR doubled a letter.
std::string without_doubled_letter(const std::string& piece) {
  std::u32string cps = decode_utf8(piece);
  for (char32_t& c : cps) {
    if (c == 0x00D0) c = 0x0110;  // Ð (eth) read for Đ
  }
  for (std::size_t i = 1; i < cps.size(); ++i) {
    if (cps[i] == cps[i - 1]) {
      std::u32string shorter = cps.substr(0, i) + cps.substr(i + 1);
      std::string out;
      for (char32_t c : shorter) text::append_utf8(out, c);
      return out;
    }
  }
  return piece;
}

// "77GCNKH": a number and a known symbol with the slash lost.
std::optional<Parsed> with_lost_slash(const std::string& compact) {
  std::size_t digits = 0;
  while (digits < compact.size() && std::isdigit(static_cast<unsigned char>(compact[digits]))) {
    ++digits;
  }
  if (digits == 0 || digits == compact.size()) return std::nullopt;
  std::string number = compact.substr(0, digits) + "/" + compact.substr(digits);
  if (!known_symbol(number)) return std::nullopt;
  return Parsed{number, 0.8, {}};
}

// A number without a symbol, such as a household business registration
// number ("45A8012345"): digits with at most two letters.
std::optional<Parsed> registration_number(const std::string& compact) {
  if (compact.size() < 6 || !is_digit_like(compact[0])) return std::nullopt;
  int letters = 0;
  for (char c : compact) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return std::nullopt;
    if (!is_digit_like(c)) ++letters;
  }
  if (letters > 2) return std::nullopt;
  Parsed out{compact, 0.85, {}};
  if (repair_digits(compact) != compact) out.doubt = "letter in a digit position";
  return out;
}

int to_int(std::string_view digits) {
  int v = 0;
  for (char c : digits) {
    if (c != ' ') v = v * 10 + (repaired_digit(c) - '0');
  }
  return v;
}

bool any_repaired(std::string_view digits) {
  return std::any_of(digits.begin(), digits.end(), [](char c) {
    return c != ' ' && !std::isdigit(static_cast<unsigned char>(c));
  });
}

// Folded tokens with their code point offsets.
struct Token {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

std::vector<Token> tokens_of(const std::string& folded, std::size_t from) {
  std::vector<Token> tokens;
  std::size_t i = from;
  while (i < folded.size()) {
    while (i < folded.size() && folded[i] == ' ') ++i;
    std::size_t b = i;
    while (i < folded.size() && folded[i] != ' ') ++i;
    if (i > b) tokens.push_back({b, i, folded.substr(b, i - b)});
  }
  return tokens;
}

// The digits of a token that is a number, possibly with look-alikes and
// surrounding punctuation; empty otherwise.
std::string number_token(const std::string& token) {
  std::string core = trim(token, ".,;:()[]");
  if (core.empty() || !std::all_of(core.begin(), core.end(), is_digit_like)) return {};
  std::size_t real = std::count_if(
      core.begin(), core.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  // A word like "lo" is not a number; a number with one or two misreads is,
  // but its digits are not known: "?" marks it.
  if (real * 10 < core.size() * 7) return {};
  return real == core.size() ? core : "?";
}

bool is_id_length(std::size_t n) { return n == 12 || n == 9; }

std::vector<std::string> ids_in(const std::string& folded, std::size_t from, bool* doubtful) {
  std::vector<std::string> ids;
  std::vector<Token> tokens = tokens_of(folded, from);
  for (std::size_t i = 0; i < tokens.size();) {
    std::string digits = number_token(tokens[i].text);
    if (digits == "?") {
      if (doubtful) *doubtful = true;
      ++i;
      continue;
    }
    if (digits.empty()) {
      ++i;
      continue;
    }
    if (is_id_length(digits.size())) {
      ids.push_back(digits);
      ++i;
      continue;
    }
    // "054 236 051 354", or a gap OCR put inside: pieces adding up to 12
    // (else 9) digits.
    std::string joined = digits;
    std::size_t j = i + 1, end_nine = 0;
    while (j < tokens.size() && joined.size() < 12) {
      std::string more = number_token(tokens[j].text);
      if (more == "?" && doubtful) *doubtful = true;
      if (more.empty() || more == "?") break;
      joined += more;
      ++j;
      if (joined.size() == 9) end_nine = j;
    }
    if (joined.size() == 12 && j > i + 1) {
      ids.push_back(joined);
      i = j;
    } else if (end_nine != 0) {
      ids.push_back(joined.substr(0, 9));
      i = end_nine;
    } else {
      ++i;
    }
  }
  return ids;
}

const std::regex& id_keyword_regex() {
  static const std::regex re(
      R"((dinh danh|cccd|cmnd|cmtnd|can cuoc|chung minh|ho chieu|so dinh|\bcc\b))");
  return re;
}

const std::regex& signing_prefix_regex() {
  static const std::regex re(R"(^\s*(tm|kt|q|tl|tuq|t/m|k/t)\s*[.,:]\s*)");
  return re;
}

}  // namespace

AlignedText::AlignedText(std::string_view utf8) : code_points_(decode_utf8(utf8)) {
  folded_.reserve(code_points_.size());
  for (char32_t c : code_points_) folded_ += fold_code_point(c);
}

std::string AlignedText::original(std::size_t from, std::size_t to) const {
  std::string out;
  for (std::size_t i = from; i < to && i < code_points_.size(); ++i)
    text::append_utf8(out, code_points_[i]);
  return out;
}

std::string clean(std::string_view text) { return text::nfc(text::collapse_spaces(text)); }

std::string repair_digits(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = repaired_digit(c);
  return out;
}

std::optional<Parsed> doc_number(std::string_view line) {
  // "Số-" too: OCR reads the colon of a degraded scan as a dash.
  static const std::regex prefix(R"(^\s*s[o06]\s*[:;.,\-]?\s*(?=[0-9oil|]))");
  AlignedText text(clean(line));
  std::smatch m;
  if (!std::regex_search(text.folded(), m, prefix)) return std::nullopt;
  return normalize_doc_number(text.original(m.length(0), text.size()));
}

// Capitals, digits and hyphens: a piece of a symbol Tesseract cut off
// ("445/T B-UBND").
bool is_symbol_piece(const std::string& w) {
  for (std::size_t i = 0; i < w.size(); ++i) {
    auto c = static_cast<unsigned char>(w[i]);
    bool d_stroke = c == 0xC4 && i + 1 < w.size() && static_cast<unsigned char>(w[i + 1]) == 0x90;
    if (d_stroke) {
      ++i;
      continue;
    }
    if (!std::isupper(c) && !std::isdigit(c) && c != '-') return false;
  }
  return true;
}

// "123 / QĐ-UBND Hòa Đồng, ngày…" -> "123/QĐ-UBND": spaces may sit around
// the separators only; the next word belongs to something else.
std::string number_part(const std::string& raw) {
  std::string out;
  for (const auto& w : split(raw, ' ')) {
    if (w.empty()) continue;
    bool continues = out.empty() || out.back() == '/' || out.back() == '-' || w[0] == '/' ||
                     w[0] == '-' || (out.find('/') != std::string::npos && is_symbol_piece(w));
    if (!continues) break;
    out += w;
  }
  return out;
}

std::optional<Parsed> normalize_doc_number(std::string_view raw) {
  std::string compact = trim(number_part(clean(raw)), ".,;:");
  std::vector<std::string> parts = split(compact, '/');
  if (parts.size() < 2) {
    std::optional<Parsed> slash_lost = with_lost_slash(compact);
    return slash_lost ? slash_lost : registration_number(compact);
  }
  Parsed out;
  // The number: digits, maybe one letter ("12a").
  std::string number = parts[0];
  std::size_t digits_end = number.size();
  if (digits_end > 1 && std::isalpha(static_cast<unsigned char>(number.back())) &&
      !is_digit_like(number.back())) {
    --digits_end;
  }
  std::string digits = number.substr(0, digits_end);
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit_like)) {
    return std::nullopt;
  }
  if (any_repaired(digits)) out.doubt = "letter in a digit position";
  out.value = digits + number.substr(digits_end);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::string part = parts[i];
    if (part.empty()) return std::nullopt;
    bool is_year = part.size() == 4 && std::all_of(part.begin(), part.end(), is_digit_like) &&
                   std::isdigit(static_cast<unsigned char>(part[0]));
    if (is_year) {
      if (any_repaired(part)) out.doubt = "letter in a digit position";
      int year = to_int(part);
      if (year < 1945 || year > 2100) out.doubt = "number part '" + part + "' is not a year";
    } else if (i + 1 < parts.size() && all_digits(part)) {
      // "4/35/SGDĐT": a handwritten number read in two pieces.
      out.doubt = "number part '" + part + "' is not a year";
    } else {
      std::vector<std::string> pieces = split(part, '-');
      part.clear();
      for (std::size_t k = 0; k < pieces.size(); ++k) {
        std::string repaired = repair_symbol_part(pieces[k]);
        if (!known_symbol_parts().count(repaired)) {
          std::string undoubled = without_doubled_letter(repaired);
          if (known_symbol_parts().count(undoubled)) repaired = undoubled;
        }
        if (repaired != pieces[k]) out.quality = std::min(out.quality, 0.9);
        part += (k ? "-" : "") + repaired;
      }
    }
    out.value += "/" + part;
  }
  if (!known_symbol(out.value)) out.quality = std::min(out.quality, 0.7);
  return out;
}

bool known_symbol(std::string_view doc_number) {
  std::vector<std::string> parts = split(doc_number, '/');
  if (parts.size() < 2) return false;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (all_digits(parts[i])) continue;
    for (const std::string& piece : split(parts[i], '-')) {
      if (!known_symbol_parts().count(piece)) return false;
    }
  }
  return true;
}

std::optional<DateLine> date_line(std::string_view line) {
  AlignedText text(clean(line));
  std::smatch m;
  if (!std::regex_search(text.folded(), m, date_regex())) return std::nullopt;
  int d = to_int(m.str(3));
  int mo = to_int(m.str(5));
  int y = to_int(m.str(7));
  bool repaired = any_repaired(m.str(3) + m.str(5) + m.str(7));
  if (!repaired && !valid_calendar_date(y, mo, d)) return std::nullopt;
  DateLine out;
  out.iso = format_iso(y, mo, d);
  out.place = trim(text.original(0, m.position(2)), " ,.;:-");
  // A letter read as a digit ("tháng S": 5 or 8?) is a guess, never a date.
  if (any_repaired(m.str(3) + m.str(5) + m.str(7))) {
    out.iso.clear();
    out.doubt = "letter in a digit position";
    for (char s_as : {'5', '8'}) {
      auto read = [&](const std::string& digits) {
        int v = 0;
        for (char c : digits) {
          if (c == ' ') continue;
          char r = (c == 's' || c == 'S') ? s_as : repaired_digit(c);
          if (!std::isdigit(static_cast<unsigned char>(r))) return -1;
          v = v * 10 + (r - '0');
        }
        return v;
      };
      int cd = read(m.str(3)), cm = read(m.str(5)), cy = read(m.str(7));
      if (valid_calendar_date(cy, cm, cd)) {
        std::string iso = format_iso(cy, cm, cd);
        if (std::find(out.candidates.begin(), out.candidates.end(), iso) == out.candidates.end())
          out.candidates.push_back(iso);
      }
    }
  }
  return out;
}

// The same line with one component unreadable ("tháng TÌ"): any short
// token stands in for it.
const std::regex& loose_date_regex() {
  static const std::regex re(
      R"((^|[^a-z])(ng[a-z]{0,2}[yv])[\s.,:]*([0-9a-z|~\]\[]{1,2})[\s.,]*(th[a-z]{1,3}g|t[a-z]{1,3}ng)[\s.,:]*([0-9a-z|~\]\[]{1,2})[\s.,]*(n ?[a-z]{1,2}m)[\s.,:]*([0-9a-z|~]{2,4}))");
  return re;
}

std::optional<std::string> date_component(const std::string& folded_digits) {
  std::string core = trim(folded_digits, " ");
  if (core.empty() || !std::all_of(core.begin(), core.end(), is_digit_like)) return std::nullopt;
  return repair_digits(core);
}

std::optional<PartialDate> partial_date_line(std::string_view line) {
  AlignedText text(clean(line));
  std::smatch m;
  if (!std::regex_search(text.folded(), m, loose_date_regex())) return std::nullopt;
  PartialDate out;
  out.place = trim(text.original(0, m.position(2)), " ,.;:-");
  out.day = date_component(m.str(3));
  out.month = date_component(m.str(5));
  out.year = date_component(m.str(7));
  return out;
}

bool agrees(const PartialDate& partial, const std::string& iso) {
  int known = 0, same = 0;
  auto check = [&](const std::optional<std::string>& part, int value) {
    if (!part) return;
    ++known;
    same += to_int(*part) == value;
  };
  check(partial.year, std::stoi(iso.substr(0, 4)));
  check(partial.month, std::stoi(iso.substr(5, 2)));
  check(partial.day, std::stoi(iso.substr(8, 2)));
  return known == 2 && same == 2;
}

bool starts_date(std::string_view line) {
  // "ngày" then a day, or "ngày" ending the line (the day is on the next).
  static const std::regex re(
      R"((^|[^a-z])ng[a-z]{0,2}[yv]([\s.,:]*[0-9oil|]{1,2}([^a-z]|$)|\s*$))");
  return std::regex_search(AlignedText(clean(line)).folded(), re);
}

std::optional<std::string> iso_date(std::string_view text) {
  static const std::regex iso(R"(^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$)");
  static const std::regex vn(R"(^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$)");
  std::string s(text);
  std::smatch m;
  int y = 0, mo = 0, d = 0;
  if (std::regex_match(s, m, iso)) {
    y = std::stoi(m.str(1));
    mo = std::stoi(m.str(2));
    d = std::stoi(m.str(3));
  } else if (std::regex_match(s, m, vn)) {
    d = std::stoi(m.str(1));
    mo = std::stoi(m.str(2));
    y = std::stoi(m.str(3));
  } else {
    return std::nullopt;
  }
  if (!valid_calendar_date(y, mo, d)) return std::nullopt;
  return format_iso(y, mo, d);
}

bool mentions_citizen_id(std::string_view line) {
  return std::regex_search(AlignedText(clean(line)).folded(), id_keyword_regex());
}

std::vector<std::string> citizen_ids(std::string_view line, std::string_view next_line,
                                     bool* doubtful) {
  AlignedText text(clean(line));
  const std::string& f = text.folded();
  // After the last keyword: "Số định danh cá nhân/CCCD::054191827101" has
  // two, and the number glued to the second.
  std::size_t from = std::string::npos;
  for (std::sregex_iterator m(f.begin(), f.end(), id_keyword_regex()), end; m != end; ++m) {
    from = static_cast<std::size_t>(m->position(0) + m->length(0));
  }
  if (from == std::string::npos) return {};
  std::vector<std::string> ids = ids_in(f, from, doubtful);
  if (ids.empty() && !next_line.empty()) {
    ids = ids_in(AlignedText(clean(next_line)).folded(), 0, doubtful);
  }
  return ids;
}

// Digits (or their look-alikes), dots and dashes: a piece of a code.
bool is_code_piece(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(),
                                   [](char c) { return is_digit_like(c) || c == '.' || c == '-'; });
}

std::optional<Parsed> dossier_code(std::string_view line) {
  static const std::regex re(R"((^|[^a-z])ma\s*h[o0]\s*s[o0]\s*[:;.\-]?\s*)");
  AlignedText text(clean(line));
  std::smatch m;
  if (!std::regex_search(text.folded(), m, re)) return std::nullopt;
  std::size_t from = m.position(0) + m.length(0);
  std::string rest = text.original(from, text.size());
  // The code is one token, but OCR may space out its separators.
  std::vector<std::string> words = split(rest, ' ');
  std::string code;
  std::vector<std::size_t> cuts;  // where a space stood between two pieces
  for (const std::string& w : words) {
    if (w.empty()) continue;
    // A code followed by a bare number is the code cut in two by OCR.
    bool cut_number = !code.empty() && is_digit_like(code.back()) && is_code_piece(trim(w, ".,;:"));
    bool joins = code.empty() || code.back() == '-' || code.back() == '.' || w[0] == '-' ||
                 w[0] == '.' || cut_number;
    if (!joins) break;
    if (cut_number) cuts.push_back(code.size());
    code += w;
  }
  // "H46 12-230221-9904": OCR read the province's dot as a space. Where a
  // space stood right after the letter and two digits and the code is the
  // national form with a dot there, the dot is that space; the digits are
  // as read.
  static const std::regex dot_lost(R"(^[A-Z][0-9]{4}-[0-9]{6}-[0-9]{4}$)");
  if (std::find(cuts.begin(), cuts.end(), 3u) != cuts.end() && std::regex_match(code, dot_lost)) {
    code.insert(3, ".");
  }
  code = trim(code, ".,;:-");
  for (std::size_t dots; (dots = code.find("..")) != std::string::npos;) code.erase(dots, 1);
  if (code.empty() || !std::any_of(code.begin(), code.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return std::nullopt;
  }
  Parsed out;
  for (std::size_t i = 1; i < code.size(); ++i) {
    bool near_digit =
        std::isdigit(static_cast<unsigned char>(code[i - 1])) ||
        (i + 1 < code.size() && std::isdigit(static_cast<unsigned char>(code[i + 1])));
    if (near_digit && is_digit_like(code[i]) &&
        !std::isdigit(static_cast<unsigned char>(code[i]))) {
      out.doubt = "letter in a digit position";
    }
  }
  for (char c : code) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '/' &&
        c != '_') {
      return std::nullopt;
    }
  }
  // The national one-stop-shop form, "H46.57-220603-3392"; others are read
  // but trusted less.
  static const std::regex national(R"(^[A-Z][0-9]{2}\.[0-9]{2}-[0-9]{6}-[0-9]{4}$)");
  // Its shape with a sign lost or added ("H1525-261006-6659"): misread.
  static const std::regex near_national(R"(^[A-Z][0-9.]{3,6}-[0-9]{6}-[0-9]{4}$)");
  if (!std::regex_match(code, national)) {
    out.quality = std::min(out.quality, 0.7);
    if (std::regex_match(code, near_national) && out.doubt.empty())
      out.doubt = "not in the national form";
  }
  out.value = code;
  return out;
}

std::optional<std::string> dossier_date(std::string_view code) {
  static const std::regex re(R"(-(\d{2})(\d{2})(\d{2})-)");
  std::string c(code);
  std::smatch m;
  if (!std::regex_search(c, m, re)) return std::nullopt;
  return iso_date(m.str(3) + "/" + m.str(2) + "/20" + m.str(1));
}

std::optional<std::string> registration_date(std::string_view line) {
  static const std::regex re(R"(dang ky\s*:?\s*([0-9oil|]{1,2})/([0-9oil|]{1,2})/([0-9oil|]{4}))");
  AlignedText text(clean(line));
  std::smatch m;
  if (!std::regex_search(text.folded(), m, re)) return std::nullopt;
  if (any_repaired(m.str(1) + m.str(2) + m.str(3))) return std::nullopt;  // not sure itself
  return iso_date(m.str(1) + "/" + m.str(2) + "/" + m.str(3));
}

bool is_capitals(std::string_view line) {
  std::u32string cps = decode_utf8(line);
  int upper = 0, letters = 0;
  for (char32_t c : cps) {
    if (!u_isalpha(static_cast<UChar32>(c))) continue;
    ++letters;
    if (u_isupper(static_cast<UChar32>(c))) ++upper;
  }
  return letters >= 2 && upper * 10 >= letters * 8;
}

bool has_signing_prefix(std::string_view line) {
  return std::regex_search(AlignedText(clean(line)).folded(), signing_prefix_regex());
}

std::string strip_signing_prefix(std::string_view line) {
  AlignedText text(clean(line));
  std::smatch m;
  if (!std::regex_search(text.folded(), m, signing_prefix_regex())) return clean(line);
  return text.original(m.length(0), text.size());
}

bool looks_like_person_name(std::string_view line) {
  std::vector<std::string> words = split(clean(line), ' ');
  if (words.size() < 2 || words.size() > 6) return false;
  for (const std::string& w : words) {
    std::u32string cps = decode_utf8(w);
    if (cps.empty() || !u_isupper(static_cast<UChar32>(cps[0]))) return false;
    for (std::size_t i = 1; i < cps.size(); ++i) {
      if (!u_islower(static_cast<UChar32>(cps[i]))) return false;
    }
  }
  return true;
}

std::string without_rank(std::string_view line) {
  // Folded, longest first so that "thuong ta" wins over "ta".
  static const std::vector<std::string> kRanks = {
      "dai tuong", "thuong tuong", "trung tuong", "thieu tuong", "dai ta",   "thuong ta",
      "trung ta",  "thieu ta",     "dai uy",      "thuong uy",   "trung uy", "thieu uy",
      "pgs.ts.",   "pgs.ts",       "gs.ts.",      "gs.tskh.",    "pgs.",     "gs.",
      "ts.",       "ths.",         "bs.",         "ks.",         "ls.",      "ncs.",
      "tskh.",     "bsckii.",      "bscki.",      "dong chi"};
  std::string cleaned = clean(line);
  AlignedText text(cleaned);
  const std::string& f = text.folded();
  for (const auto& rank : kRanks) {
    if (f.rfind(rank, 0) != 0 || f.size() <= rank.size()) continue;
    bool word_end = rank.back() == '.' || f[rank.size()] == ' ';
    if (!word_end) continue;
    return without_rank(trim(text.original(rank.size(), text.size()), " ."));
  }
  return cleaned;
}

namespace {

// The folded mark alone on its line ("KHẨN", "HOẢ TỐC", "BẢN SAO Y"),
// allowing a lost accent or one OCR slip in the longer marks.
// `exact`: the accents must be as printed ("MẬT", not "MẶT").
std::string mark_in(std::string_view line,
                    const std::vector<std::pair<std::string, std::string>>& marks,
                    bool exact = false) {
  std::string f = trim(AlignedText(clean(line)).folded(), " .:-_*!\"'");
  std::string printed_line = trim(text::upper(clean(line)), " .:-_*!\"'");
  if (f.rfind("ban ", 0) == 0) {
    f = f.substr(4);
    printed_line = trim(AlignedText(printed_line).original(4, printed_line.size()), " ");
  }
  for (const auto& [folded_mark, printed] : marks) {
    if (exact) {
      if (printed_line == printed) return printed;
      continue;
    }
    int allowed = folded_mark.size() >= 7 ? 1 : 0;
    if (edit_distance(f, folded_mark) <= allowed) return printed;
  }
  return {};
}

}  // namespace

std::string urgency_mark(std::string_view line) {
  static const std::vector<std::pair<std::string, std::string>> kMarks = {
      {"thuong khan", "THƯỢNG KHẨN"}, {"hoa toc", "HỎA TỐC"}, {"khan", "KHẨN"}};
  return is_capitals(line) ? mark_in(line, kMarks) : std::string();
}

std::string secrecy_mark(std::string_view line) {
  static const std::vector<std::pair<std::string, std::string>> kMarks = {
      {"tuyet mat", "TUYỆT MẬT"}, {"toi mat", "TỐI MẬT"}, {"mat", "MẬT"}};
  return is_capitals(line) ? mark_in(line, kMarks, true) : std::string();
}

std::string copy_mark(std::string_view line) {
  static const std::vector<std::pair<std::string, std::string>> kMarks = {
      {"sao y", "SAO Y"},
      {"saoy", "SAO Y"},  // the space lost, as OCR often loses it before one letter
      {"sao luc", "SAO LỤC"},
      {"trich sao", "TRÍCH SAO"},
      {"sao y ban chinh", "SAO Y"}};
  return is_capitals(line) ? mark_in(line, kMarks) : std::string();
}

int edit_distance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      int up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace sohoa::metadata::parse
