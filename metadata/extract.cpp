#include "metadata/extract.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

#include "metadata/lexicon.h"
#include "metadata/parsers.h"
#include "metadata/reread.h"
#include "text/vntext.h"

namespace sohoa::metadata {
namespace {

// A run of words printed together. Tesseract may read the two header
// columns (or the footer's two columns) as one line; a wide gap between
// words splits them again.
struct Segment {
  int page = 0;
  std::string text;
  ocr::Box box;
  double confidence = 1.0;  // 0..1, mean over the words
  // Lowest confidence of a word holding a digit: a number is only as sure as
  // its worst-read digit; 1 when none.
  double digit_confidence = 1.0;
  // A word holding digits is much taller, shorter or off the row of the
  // printed words around it: a number or day filled in by hand.
  bool odd_digits = false;
  // The text before specks were trimmed off its ends ("- Như trên;").
  std::string raw;
  // Each word as read with its OCR confidence (0..1).
  std::vector<std::pair<std::string, double>> words;
  // Left and right ends of the words with a letter or digit: the printed
  // text's extent, which a speck beside it does not widen.
  int text_left = 0, text_right = 0;

  int left() const { return box.x; }
  int right() const { return box.x + box.w; }
  int top() const { return box.y; }
  int bottom() const { return box.y + box.h; }
  double centre() const { return box.x + box.w / 2.0; }
  double text_centre() const {
    return text_right > text_left ? (text_left + text_right) / 2.0 : centre();
  }
  int height() const { return std::max(1, box.h); }
};

struct PageGeometry {
  double width = 1;
  double height = 1;
};

ocr::Box unite(const ocr::Box& a, const ocr::Box& b) {
  int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  int x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

int median_height(const std::vector<ocr::Word>& words) {
  std::vector<int> h;
  for (const auto& w : words) h.push_back(w.box.h);
  std::nth_element(h.begin(), h.begin() + h.size() / 2, h.end());
  return std::max(1, h[h.size() / 2]);
}

// Rule and speck marks OCR glues to the ends of a line ("_Về việc",
// "'THÔNG BÁO -").
std::string trim_specks(const std::string& text) {
  static const std::string kSpecks = "_-'\"`~|*^.,:;!¬— ";
  std::size_t b = text.find_first_not_of(kSpecks);
  if (b == std::string::npos) return {};
  std::size_t e = text.size();
  while (e > b && kSpecks.find(text[e - 1]) != std::string::npos) --e;
  return text.substr(b, e - b);
}

std::string last_words(const std::string& text, std::size_t n) {
  std::size_t pos = text.size();
  for (std::size_t k = 0; k < n && pos != std::string::npos && pos > 0; ++k) {
    pos = text.rfind(' ', pos - 1);
  }
  return pos == std::string::npos ? text : text.substr(pos + 1);
}

bool has_digit(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Lowest OCR word confidence (0..1) at which a word of a text field (a
// name, a subject, a recipient) is taken as read; a field holding a word
// below it is left null for a person. Tesseract is often sure of a wrong tone
// mark, so this only keeps out the words it says it is unsure of.
constexpr double kTextSure = 0.85;

// The confidence of a value its field re-reads confirmed (metadata/reread.h):
// two or three readings agree, none sure alone.
constexpr double kRereadConfidence = 0.8;

// A word holding signs no Vietnamese administrative text prints ("¡n",
// "PHÒNGGD~ĐT", "Cevid<192"): OCR garbage, not a reading.
bool garbled(const std::string& word) {
  parse::AlignedText text(word);
  const std::string& f = text.folded();
  for (std::size_t i = 0; i < f.size(); ++i) {
    char c = f[i];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) continue;
    if (std::string(" .,;:-/()\"'%&+").find(c) != std::string::npos) continue;
    char32_t cp = text.at(i);
    bool quote_or_dash = cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 ||
                         cp == 0x2013 || cp == 0x2014 || cp == 0x2026;
    if (!quote_or_dash) return true;
  }
  return false;
}

// Lowest OCR confidence of the words holding a citizen id's digits: the id
// is a citizen's key, matched verbatim and not checked by any other printed
// value, so it needs more than the kDigitSure of numbers a date or a code
// can confirm: the bar of a text word. (Degraded generated scans: 12-digit
// ids read at 0.64 and 0.7-0.85 had a digit wrong.)
constexpr double kIdSure = kTextSure;

// The bar of the words of a subject (trích yếu) and of recipients: running
// text in tone marks that no lexicon or other printed value checks, where
// Tesseract's misread marks come at 0.86-0.89 ("phê đuyệt" for duyệt on a
// degraded generated scan, "hoán đôi" for đổi on a real letter, "Bộ phận
// một. cửa;" at 0.86) and its right readings of clean print at 0.93 and
// above.
constexpr double kFreeTextSure = 0.9;

// Every word read surely: at `bar` or above and not garbled.
bool sure_words(const std::vector<std::pair<std::string, double>>& words, double bar = kTextSure) {
  return std::all_of(words.begin(), words.end(), [bar](const auto& w) {
    if (trim_specks(w.first).empty()) return true;  // a rule or a speck
    return w.second >= bar && !garbled(w.first);
  });
}

// Printed digits have the height of the printed letters beside them; a
// clerk's handwritten number or day does not (and sits off their baseline).
bool odd_digit_shape(const std::vector<ocr::Word>& words, std::size_t from, std::size_t to) {
  std::vector<int> heights;
  std::vector<double> centres;
  for (std::size_t i = from; i < to; ++i) {
    if (has_digit(words[i].text) || words[i].text.size() < 2) continue;
    heights.push_back(words[i].box.h);
    centres.push_back(words[i].box.y + words[i].box.h / 2.0);
  }
  if (heights.size() < 2) return false;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  std::nth_element(centres.begin(), centres.begin() + centres.size() / 2, centres.end());
  double h = std::max(1, heights[heights.size() / 2]);
  double centre = centres[centres.size() / 2];
  for (std::size_t i = from; i < to; ++i) {
    const ocr::Box& b = words[i].box;
    if (!has_digit(words[i].text)) continue;
    bool size_off = b.h > 1.6 * h || b.h < 0.55 * h;
    bool row_off = std::abs(b.y + b.h / 2.0 - centre) > 0.6 * h;
    if (size_off || row_off) return true;
  }
  return false;
}

// The day of "ngày DD tháng MM năm YYYY" written by hand: its digits taller
// than the printed year's in the same line by more than 30% (printed days
// of degraded scans: at most 1.13 times the year's height over 171 lines;
// days filled in by hand in a pen's script: 1.4 to 2.1 times). Digits of one
// font and size share one height, whatever letters surround them.
bool hand_filled_day(const std::vector<ocr::Word>& words, std::size_t from, std::size_t to) {
  auto fold = [](const std::string& w) { return parse::AlignedText(w).folded(); };
  auto digits = [](const std::string& w) {
    return !w.empty() &&
           std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  for (std::size_t i = from; i + 1 < to; ++i) {
    if (fold(words[i].text) != "ngay" || !has_digit(words[i + 1].text)) continue;
    for (std::size_t k = i + 2; k + 1 < to && k <= i + 6; ++k) {
      if (fold(words[k].text) != "nam" || !digits(words[k + 1].text)) continue;
      if (words[k + 1].text.size() != 4) break;
      return words[i + 1].box.h > 1.3 * std::max(1, words[k + 1].box.h);
    }
  }
  return false;
}

void add_segment(std::vector<Segment>& out, int page, const std::vector<ocr::Word>& words,
                 std::size_t from, std::size_t to) {
  Segment s;
  s.page = page;
  s.box = words[from].box;
  double confidence = 0;
  for (std::size_t i = from; i < to; ++i) {
    s.text += (i > from ? " " : "") + words[i].text;
    s.words.push_back({parse::clean(words[i].text), words[i].confidence / 100.0});
    s.box = unite(s.box, words[i].box);
    std::string f = parse::AlignedText(words[i].text).folded();
    if (std::any_of(f.begin(), f.end(),
                    [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
      int right = words[i].box.x + words[i].box.w;
      bool first = s.text_right <= s.text_left;
      s.text_left = first ? words[i].box.x : std::min(s.text_left, words[i].box.x);
      s.text_right = first ? right : std::max(s.text_right, right);
    }
    confidence += words[i].confidence;
    if (has_digit(words[i].text)) {
      s.digit_confidence = std::min(s.digit_confidence, words[i].confidence / 100.0);
    }
  }
  // Top and height from the typical word, so that one tall speck does not
  // move the segment off its row.
  std::vector<int> tops, heights;
  for (std::size_t i = from; i < to; ++i) {
    tops.push_back(words[i].box.y);
    heights.push_back(words[i].box.h);
  }
  std::nth_element(tops.begin(), tops.begin() + tops.size() / 2, tops.end());
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  s.box.y = tops[tops.size() / 2];
  s.box.h = std::max(1, heights[heights.size() / 2]);
  s.raw = parse::clean(s.text);
  s.text = trim_specks(s.raw);
  s.confidence = confidence / static_cast<double>(to - from) / 100.0;
  s.odd_digits = odd_digit_shape(words, from, to) || hand_filled_day(words, from, to);
  if (!s.text.empty()) out.push_back(std::move(s));
}

// Specks and rules read as "_", "-", "ˆ" at low confidence; kept, they
// would bridge the gap between two columns.
bool is_noise(const ocr::Word& w) {
  if (w.confidence >= 50) return false;
  std::string f = parse::AlignedText(w.text).folded();
  return std::none_of(f.begin(), f.end(),
                      [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

void split_line(std::vector<Segment>& out, int page, const ocr::Line& line, double page_width) {
  std::vector<ocr::Word> words;
  for (const auto& w : line.words) {
    if (!is_noise(w)) words.push_back(w);
  }
  if (words.empty()) {
    std::string t = line.words.empty() ? parse::clean(line.text) : "";
    if (!t.empty()) out.push_back({page, t, line.box, 1.0, 1.0, false, t, {{t, 1.0}}});
    return;
  }
  int height = median_height(words);
  int gap_limit = std::max(2 * height, 40);
  std::size_t start = 0;
  for (std::size_t i = 1; i <= words.size(); ++i) {
    bool split = i == words.size();
    if (!split) {
      int gap_start = words[i - 1].box.x + words[i - 1].box.w;
      int gap = words[i].box.x - gap_start;
      // Between the header's two columns a smaller gap is enough.
      double middle = (gap_start + gap / 2.0) / page_width;
      split = gap > gap_limit || (gap > height * 4 / 5 && middle > 0.38 && middle < 0.56);
    }
    if (split) {
      add_segment(out, page, words, start, i);
      start = i;
    }
  }
}

bool same_row(const Segment& a, const Segment& b) {
  int overlap = std::min(a.bottom(), b.bottom()) - std::max(a.top(), b.top());
  return overlap * 5 >= std::min(a.height(), b.height()) * 2;
}

// Tesseract breaks a slightly skewed line into pieces; a piece that starts
// right where another ends, on the same row, continues it.
void join_row_fragments(std::vector<Segment>& segs, double page_width) {
  for (bool joined = true; joined;) {
    joined = false;
    for (std::size_t i = 0; i < segs.size() && !joined; ++i) {
      for (std::size_t j = 0; j < segs.size() && !joined; ++j) {
        Segment& a = segs[i];
        const Segment& b = segs[j];
        int gap = b.left() - a.right();
        int limit = std::min(a.height(), b.height()) * 3 / 2;
        if (i == j || gap < -10 || gap > limit || !same_row(a, b)) continue;
        // Never across the gutter between the header's two columns.
        double middle = (a.right() + gap / 2.0) / page_width;
        if (middle > 0.38 && middle < 0.56) continue;
        double words_a = static_cast<double>(std::count(a.text.begin(), a.text.end(), ' ') + 1);
        double words_b = static_cast<double>(std::count(b.text.begin(), b.text.end(), ' ') + 1);
        a.confidence = (a.confidence * words_a + b.confidence * words_b) / (words_a + words_b);
        a.digit_confidence = std::min(a.digit_confidence, b.digit_confidence);
        a.text += " " + b.text;
        a.raw += " " + b.raw;
        a.words.insert(a.words.end(), b.words.begin(), b.words.end());
        a.box = unite(a.box, b.box);
        if (b.text_right > b.text_left) {
          bool none = a.text_right <= a.text_left;
          a.text_left = none ? b.text_left : std::min(a.text_left, b.text_left);
          a.text_right = none ? b.text_right : std::max(a.text_right, b.text_right);
        }
        segs.erase(segs.begin() + static_cast<long>(j));
        joined = true;
      }
    }
  }
}

// Reading order: top to bottom; segments on one row left to right.
std::vector<Segment> segments_of(const ocr::PageText& text, int page) {
  std::vector<Segment> out;
  double page_width = text.width > 0 ? text.width : 2480;
  for (const auto& block : text.blocks) {
    for (const auto& line : block.lines) split_line(out, page, line, page_width);
  }
  join_row_fragments(out, page_width);
  std::stable_sort(out.begin(), out.end(), [](const Segment& a, const Segment& b) {
    int row = std::min(a.height(), b.height()) / 2;
    if (std::abs(a.top() - b.top()) > row) return a.top() < b.top();
    return a.left() < b.left();
  });
  return out;
}

PageGeometry geometry_of(const ocr::PageText& text, const std::vector<Segment>& segments) {
  PageGeometry g{static_cast<double>(text.width), static_cast<double>(text.height)};
  for (const auto& s : segments) {
    if (text.width <= 0) g.width = std::max(g.width, static_cast<double>(s.right()));
    if (text.height <= 0) g.height = std::max(g.height, static_cast<double>(s.bottom()));
  }
  return g;
}

bool has_letters(const std::string& s) {
  std::string f = parse::AlignedText(s).folded();
  return std::count_if(f.begin(), f.end(), [](char c) { return c >= 'a' && c <= 'z'; }) >= 2;
}

std::string folded(const std::string& s) { return parse::AlignedText(s).folded(); }

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

// The segment just below `s` in the same column, if it follows closely.
const Segment* next_below(const std::vector<Segment>& segs, const Segment& s) {
  const Segment* best = nullptr;
  for (const auto& o : segs) {
    if (&o == &s || o.page != s.page || o.top() <= s.top() + s.height() / 2) continue;
    bool overlaps = o.left() < s.right() && s.left() < o.right();
    if (!overlaps || o.top() - s.bottom() > 2 * s.height()) continue;
    if (best == nullptr || o.top() < best->top()) best = &o;
  }
  return best;
}

struct Found {
  std::string value;
  double confidence = 0;
};

const std::vector<std::string>& known_titles() {
  static const std::vector<std::string> titles = {"QUYẾT ĐỊNH",
                                                  "THÔNG BÁO",
                                                  "GIẤY PHÉP XÂY DỰNG",
                                                  "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH",
                                                  "TRÍCH LỤC KHAI SINH",
                                                  "GIẤY CHỨNG NHẬN KẾT HÔN",
                                                  "GIẤY KHAI SINH",
                                                  "TRÍCH LỤC KẾT HÔN",
                                                  "NGHỊ QUYẾT",
                                                  "CHỈ THỊ",
                                                  "KẾ HOẠCH",
                                                  "BÁO CÁO",
                                                  "TỜ TRÌNH",
                                                  "CÔNG VĂN",
                                                  "GIẤY XÁC NHẬN",
                                                  "GIẤY MỜI",
                                                  "BIÊN BẢN",
                                                  "HƯỚNG DẪN",
                                                  "QUY ĐỊNH",
                                                  "GIẤY CHỨNG NHẬN",
                                                  "GIẤY ỦY QUYỀN",
                                                  "TRÍCH LỤC KHAI TỬ",
                                                  "GIẤY PHÉP",
                                                  "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"};
  static const std::vector<std::string> all = [] {
    std::vector<std::string> out = titles;
    for (const auto& kind : lexicon::document_kinds()) {
      if (std::find(out.begin(), out.end(), kind) == out.end()) out.push_back(kind);
    }
    return out;
  }();
  return all;
}

const std::vector<std::string>& known_roles() {
  static const std::vector<std::string> roles = {
      "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
      "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
      "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH", "BÍ THƯ", "TRƯỞNG CÔNG AN",
      // Positions of other bodies' letters, so
      // that their roles are not left unknown
      // (an unknown role line is not stored).
      "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "VỤ TRƯỞNG", "CHÁNH THANH TRA",
      "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC", "CHÁNH ÁN",
      "VIỆN TRƯỞNG"};
  return roles;
}

// The lexicon entry `read` is an OCR reading of, when one is close enough.
// `share`: the fold may differ from the entry in one character per `share`.
std::optional<std::string> closest(const std::vector<std::string>& lexicon, const std::string& read,
                                   int share = 8) {
  std::string f = folded(read);
  int best = 1 << 30;
  const std::string* winner = nullptr;
  bool tie = false;
  for (const auto& entry : lexicon) {
    int d = parse::edit_distance(f, folded(entry));
    if (d < best) {
      best = d;
      winner = &entry;
      tie = false;
    } else if (d == best) {
      tie = true;
    }
  }
  int allowed = std::max<int>(share <= 4 ? 2 : 1, static_cast<int>(f.size()) / share);
  if (winner == nullptr || tie || best > allowed) return std::nullopt;
  return *winner;
}

double mean_confidence(const std::vector<const Segment*>& segs) {
  if (segs.empty()) return 0;
  double sum = 0;
  for (const auto* s : segs) sum += s->confidence;
  return sum / static_cast<double>(segs.size());
}

std::string join_texts(const std::vector<const Segment*>& segs) {
  std::string out;
  for (const auto* s : segs) out += (out.empty() ? "" : " ") + s->text;
  return parse::clean(out);
}

// The words of the segments, specks and rules left out.
std::vector<std::pair<std::string, double>> words_of(const std::vector<const Segment*>& segs) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto* s : segs) {
    for (const auto& w : s->words) {
      if (trim_specks(w.first).empty()) continue;
      // Rule marks glued on go; a word's own dot ("TP.") stays.
      std::size_t b = w.first.find_first_not_of("_'\"`~|*^");
      std::size_t e = w.first.find_last_not_of("_'\"`~|*^");
      out.push_back({w.first.substr(b, e - b + 1), w.second});
    }
  }
  return out;
}

void apply_unit_match(const UnitMatch& m, const std::string& station_unit, Extraction& out) {
  out.issuer_unit = station_unit;
  switch (m.kind) {
    case UnitMatch::Kind::kResolved:
      out.issuer_unit = m.code;
      break;
    case UnitMatch::Kind::kAmbiguous:
      out.review_reasons.push_back("issuer ambiguous");
      break;
    case UnitMatch::Kind::kNotValid:
      out.review_reasons.push_back("issuer not valid at issued_date");
      break;
    case UnitMatch::Kind::kUnknown:
      break;
  }
}

// `date_confidence`: how sure the date is; a unit that only the date tells
// apart from another of the same name is doubtful when the date is.
UnitMatch resolve_issuer(const UnitResolver& resolver, const std::string& authority,
                         const std::string& place, const std::string& date, double date_confidence,
                         const std::string& station_unit, Extraction& out) {
  UnitMatch m = resolver.resolve(authority, place, date);
  apply_unit_match(m, station_unit, out);
  bool date_doubtful = !date.empty() && date_confidence < kReviewThreshold;
  if (date_doubtful && m.kind == UnitMatch::Kind::kResolved &&
      resolver.resolve(authority, place, "").kind == UnitMatch::Kind::kAmbiguous) {
    out.review_reasons.push_back("issuer ambiguous");
  }
  return m;
}

class DocumentReader {
 public:
  DocumentReader(const std::vector<ocr::PageText>& pages, const UnitResolver& resolver)
      : resolver_(resolver), texts_(pages) {
    for (std::size_t p = 0; p < pages.size(); ++p) {
      auto segs = segments_of(pages[p], static_cast<int>(p));
      geometry_.push_back(geometry_of(pages[p], segs));
      pages_.push_back(std::move(segs));
    }
    if (!pages.empty()) {
      for (const auto& block : pages[0].blocks) {
        for (const auto& line : block.lines) {
          for (const auto& w : line.words) {
            if (!is_noise(w) && !parse::clean(w.text).empty()) words_.push_back(w);
          }
        }
      }
    }
  }

  void read(Extraction& out, const std::string& station_unit) {
    if (pages_.empty()) return;
    read_dossier_code();  // first: its date may complete a damaged date line
    read_header();
    read_title();
    read_signer();
    read_citizen_ids();
    read_recipients();
    read_marks();
    corroborate_date();
    check_date_against_citations();
    drop_low_confidence();  // before the unit is resolved from them
    resolve_unit(out, station_unit);
    drop_low_confidence();
    emit(out);
  }

 private:
  const std::vector<Segment>& first() const { return pages_.front(); }
  const PageGeometry& first_geometry() const { return geometry_.front(); }

  // The header by geometry: the page's top band (down to the "Số:" and date
  // lines) is cut at the gutter between its two columns, found from the
  // words' x positions whatever lines Tesseract grouped them in; each column
  // is then regrouped into rows. Falls back to Tesseract's lines when the
  // band shows no two columns.
  void read_header() {
    locate_header_band();
    if (split_columns()) read_header_columns();
    const PageGeometry& g = first_geometry();
    for (const auto& s : first()) {
      if (s.top() > 0.45 * g.height) break;
      if (!number_segment_ && s.centre() < 0.55 * g.width) {
        // "Số:" opens its line (or follows capitals OCR glued on): "… tài
        // sản số 01/2016/QH14" in the body cites another document.
        auto n = number_in(s.text);
        if (n && opens_number(n->before)) take_number(*n, s);
      }
      // The header's date stands in its band, not in a "Căn cứ" row below.
      if (!date_segment_ && s.centre() > 0.55 * g.width && s.top() <= band_bottom_ + s.height()) {
        read_date_at(s, true);
      }
    }
    if (!number_segment_) read_number_from_rereads();
    if (!date_segment_ && number_segment_) read_date_beside_number();
    if (!date_segment_) read_date_anywhere();
    if (!fields_.count("place")) read_place_of_damaged_date();
    doubt_number_of_hand_filled_date();
    if (authority_read_.empty()) read_authority();
  }

  // "Số: 45/CV" at the start of a line or after other words ("… NỘI BỘ Số:
  // 45/CV" when OCR glued the lines, "Luật số: 54/2014/QH13").
  struct NumberRead {
    parse::Parsed parsed;
    std::string before;  // the words in front of "Số"
  };
  static std::optional<NumberRead> number_in(const std::string& text) {
    std::vector<std::string> words;
    for (std::size_t b = 0, e; b < text.size(); b = e + 1) {
      e = text.find(' ', b);
      if (e == std::string::npos) e = text.size();
      if (e > b) words.push_back(text.substr(b, e - b));
    }
    for (std::size_t i = 0; i < words.size() && i < 12; ++i) {
      if (i > 0 && !starts_with(folded(words[i]), "s")) continue;
      std::string rest, before;
      for (std::size_t k = i; k < words.size(); ++k) rest += (k > i ? " " : "") + words[k];
      for (std::size_t k = 0; k < i; ++k) before += (k ? " " : "") + words[k];
      if (auto n = parse::doc_number(rest)) return NumberRead{*n, before};
    }
    return std::nullopt;
  }

  // What may stand before "Số:" on its line: nothing, capitals OCR glued on
  // (the authority's last line), or the kind of a normative act ("Luật
  // số: 54/2014/QH13").
  static bool opens_number(const std::string& before) {
    if (before.empty() || parse::is_capitals(before)) return true;
    for (const auto& kind : lexicon::document_kinds()) {
      if (folded(before) == folded(kind)) return true;
    }
    return false;
  }

  // A "Số:" line OCR read past parsing ("Số:.338/TB-UBND", "!11/QĐ-UBND")
  // that its re-reads confirm: a segment of the top left opening with "Số".
  void read_number_from_rereads() {
    const PageGeometry& g = first_geometry();
    for (const auto& s : first()) {
      if (s.top() > 0.45 * g.height) break;
      if (s.centre() >= 0.55 * g.width || !starts_with(folded(s.text), "so")) continue;
      if (auto v = confirmed_by_rereads(s, std::nullopt, number_reading)) {
        number_segment_ = &s;
        fields_["doc_number"] = {*v, kRereadConfidence};
        doubts_.erase("doc_number");
        return;
      }
    }
  }

  // The clerk fills in the number and the day together, by hand, once the
  // document is signed (Decree 30 leaves both blank in the printed draft).
  // A date line whose day or month cannot be read at all (no date parses
  // and a word of it is read at under 0.3) is such a hand-filled date, and
  // the number beside it is then not taken as printed either, however sure
  // OCR was of the strokes.
  void doubt_number_of_hand_filled_date() {
    if (!fields_.count("doc_number") || fields_.count("issued_date")) return;
    // A day in a hand's shape: the number beside it was filled in with it.
    if (date_segment_ && date_segment_->odd_digits) {
      fields_.erase("doc_number");
      doubts_["doc_number"] = "filled in by hand with the day";
      return;
    }
    const PageGeometry& g = first_geometry();
    for (const auto& s : first()) {
      if (s.top() > band_bottom_ + s.height() || s.top() > 0.45 * g.height) break;
      std::string f = folded(s.text);
      std::size_t day = f.find("ngay");
      if (day == std::string::npos || f.find("nam", day) == std::string::npos) continue;
      if (parse::date_line(s.text)) continue;
      // Two words at under 0.3 (day and month, or day and number), or one
      // at under 0.1: one smudged printed digit is not a hand.
      int weak = 0;
      bool blank = false;
      for (const auto& w : s.words) {
        if (trim_specks(w.first).empty()) continue;
        weak += w.second < 0.3;
        blank = blank || w.second < 0.1;
      }
      if (weak < 2 && !blank) continue;
      fields_.erase("doc_number");
      doubts_["doc_number"] = "filled in by hand with the unreadable day";
      return;
    }
  }

  void take_number(const NumberRead& n, const Segment& s) {
    number_segment_ = &s;
    number_prefix_ = n.before;
    std::string doubt = n.parsed.doubt;
    if (doubt.empty()) doubt = digit_doubt(s);
    if (!doubt.empty()) {
      std::optional<std::string> own;
      if (n.parsed.doubt.empty()) own = n.parsed.value;
      if (auto v = confirmed_by_rereads(s, own, number_reading)) {
        fields_["doc_number"] = {*v, kRereadConfidence};
        return;
      }
      doubts_["doc_number"] = doubt;
      return;
    }
    if (contradicted_by_rereads(s, n.parsed.value, number_reading)) {
      doubts_["doc_number"] = "a second reading gives another number";
      return;
    }
    fields_["doc_number"] = {n.parsed.value,
                             std::min(s.confidence, s.digit_confidence) * n.parsed.quality};
  }

  // True when a re-reading of `s` (metadata/reread.h) gives `read` a value
  // other than `value`, however unsure: the page's reading looked sure, but
  // another reading of the same ink says otherwise, so neither is trusted.
  // (Held-out h3-0006: a hand-filled "456854071" read at 0.69, re-read as
  // "4548854071"; h2-0009: a dossier code's 9 read as 0 at 0.79.)
  template <typename Read>
  bool contradicted_by_rereads(const Segment& s, const std::string& value, Read read) const {
    for (const ocr::Line* line : rereadings_of(s)) {
      std::optional<Vote> v = read(line->text);
      if (v && v->value != value) return true;
    }
    return false;
  }

  // Every reading of every re-read over `s`.
  std::vector<const ocr::Line*> rereadings_of(const Segment& s) const {
    std::vector<const ocr::Line*> lines;
    if (static_cast<std::size_t>(s.page) >= texts_.size()) return lines;
    for (const ocr::Reread* r : rereads_over(texts_[s.page], s.box)) {
      for (const ocr::Line& line : r->readings) lines.push_back(&line);
    }
    return lines;
  }

  // Why the digits of a read segment are not sure, or "".
  static std::string digit_doubt(const Segment& s) {
    if (s.digit_confidence < kDigitSure) return "digits read with low confidence";
    if (s.odd_digits) return "digits unlike the printed text (handwritten?)";
    return {};
  }

  // The value the field re-reads of `s` (metadata/reread.h) confirm, for a
  // slot whose own reading was unsure: every re-reading gives `read` the
  // same value, and so does the segment's own reading (`own`), or both
  // re-readings hold their digits at kDigitSure at least (the own reading
  // had a letter where a digit is printed, or did not parse). Never for
  // digits shaped unlike the printed text (a hand's), nor when two re-reads
  // over the segment confirm different values.
  template <typename Read>
  std::optional<std::string> confirmed_by_rereads(const Segment& s,
                                                  const std::optional<std::string>& own,
                                                  Read read) const {
    if (s.odd_digits || static_cast<std::size_t>(s.page) >= texts_.size()) return std::nullopt;
    std::optional<std::string> confirmed;
    for (const ocr::Reread* r : rereads_over(texts_[s.page], s.box)) {
      std::optional<Agreement> a = agreed_reading(*r, read);
      if (!a || !(a->value == own || a->digit_confidence >= kDigitSure)) continue;
      if (confirmed && *confirmed != a->value) return std::nullopt;
      confirmed = a->value;
    }
    return confirmed;
  }

  // The values of the sure, unrepaired re-readings of `s` that `read` takes,
  // when they are all one value (else none): one more reading of the slot,
  // for another printed value to confirm.
  template <typename Read>
  std::vector<std::string> sure_rereadings(const Segment& s, Read read) const {
    std::vector<std::string> values;
    for (const ocr::Line* line : rereadings_of(s)) {
      std::optional<Vote> v = read(line->text);
      if (!v || v->repaired || digit_confidence(*line) < kDigitSure) continue;
      if (!values.empty() && values.front() != v->value) return {};
      if (values.empty()) values.push_back(v->value);
    }
    return values;
  }

  // A number line's reading; one with a letter beside its digits that
  // stands for one digit only ("I79/TB-UBND": I, l, |, ! for 1, O for 0;
  // never S) votes for the number with that digit, repaired.
  static std::optional<Vote> number_reading(const std::string& text) {
    auto n = number_in(text);
    bool repaired = false;
    if (n && !n->parsed.doubt.empty()) {
      auto fixed = number_in(unambiguous_digits(text, &repaired));
      if (!repaired) return std::nullopt;
      n = fixed;
    }
    if (!n || !n->parsed.doubt.empty() || !opens_number(n->before)) return std::nullopt;
    return Vote{n->parsed.value, repaired};
  }

  // A date line's reading; one whose look-alikes stand for one date only
  // (O, l: not S) votes for it, repaired.
  static std::optional<Vote> date_reading(const std::string& text) {
    auto r = parse::date_line(text);
    if (!r) return std::nullopt;
    if (r->doubt.empty() && !r->iso.empty()) return Vote{r->iso, false};
    if (r->iso.empty() && r->candidates.size() == 1) return Vote{r->candidates.front(), true};
    return std::nullopt;
  }

  // The bottom of the header's two columns: the lowest "Số:" or date line
  // in the top of the first page.
  void locate_header_band() {
    const PageGeometry& g = first_geometry();
    double bottom = 0;
    for (const auto& s : first()) {
      if (s.top() > 0.45 * g.height) break;
      // Only header lines: "Số:" opening a line (or after capitals OCR
      // glued on), a date line in the right half; not "… số 12/KH ngày …"
      // in the body.
      std::optional<NumberRead> n = number_in(s.text);
      bool number = n && (n->before.empty() || parse::is_capitals(n->before));
      bool date = s.centre() > 0.5 * g.width && s.left() > 0.3 * g.width &&
                  (parse::date_line(s.text) || parse::partial_date_line(s.text));
      if (number || date) bottom = std::max(bottom, static_cast<double>(s.bottom()));
    }
    band_bottom_ = bottom > 0 ? bottom : 0.25 * g.height;
  }

  // The gutter: the widest run of x with the fewest words of the band over
  // it, with words on both sides. False when there is none.
  bool split_columns() {
    const PageGeometry& g = first_geometry();
    constexpr int kBins = 500;
    std::vector<int> cover(kBins, 0);
    std::vector<int> heights;
    auto bin = [&](double x) {
      return std::clamp(static_cast<int>(x / g.width * kBins), 0, kBins - 1);
    };
    for (const auto& w : words_) {
      if (w.box.y + w.box.h / 2.0 >= band_bottom_) continue;
      heights.push_back(w.box.h);
      for (int k = bin(w.box.x), e = bin(w.box.x + w.box.w - 1); k <= e; ++k) ++cover[k];
    }
    if (heights.size() < 3) return false;
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    double height = std::max(1, heights[heights.size() / 2]);
    int lo = kBins / 5, hi = kBins * 3 / 4;
    int least = *std::min_element(cover.begin() + lo, cover.begin() + hi);
    int best_len = 0, best_mid = -1;
    for (int k = lo; k < hi;) {
      if (cover[k] != least) {
        ++k;
        continue;
      }
      int e = k;
      while (e < hi && cover[e] == least) ++e;
      bool words_left =
          std::any_of(cover.begin(), cover.begin() + k, [&](int c) { return c > least; });
      bool words_right =
          std::any_of(cover.begin() + e, cover.end(), [&](int c) { return c > least; });
      if (words_left && words_right && e - k > best_len) {
        best_len = e - k;
        best_mid = (k + e) / 2;
      }
      k = e;
    }
    // A gap no wider than a space between words is no gutter.
    if (best_mid < 0 || best_len * g.width / kBins < 0.6 * height) return false;
    gutter_ = (best_mid + 0.5) * g.width / kBins;
    double left_bottom = std::min(band_bottom_ + 12 * height, 0.55 * g.height);
    std::vector<ocr::Word> left, right;
    for (const auto& w : words_) {
      double cy = w.box.y + w.box.h / 2.0, cx = w.box.x + w.box.w / 2.0;
      if (cx < gutter_ && cy < left_bottom) left.push_back(w);
      if (cx >= gutter_ && cy < band_bottom_ + 3 * height) right.push_back(w);
    }
    left_rows_ = rows_of(std::move(left));
    right_rows_ = rows_of(std::move(right));
    return true;
  }

  // Words regrouped into rows by their vertical position, each row left to
  // right, cut where a gap is wider than three letters' height.
  static std::vector<Segment> rows_of(std::vector<ocr::Word> words) {
    std::sort(words.begin(), words.end(), [](const ocr::Word& a, const ocr::Word& b) {
      return a.box.y + a.box.h / 2.0 < b.box.y + b.box.h / 2.0;
    });
    std::vector<std::vector<ocr::Word>> rows;
    for (const auto& w : words) {
      std::vector<ocr::Word>* home = nullptr;
      for (auto r = rows.rbegin(); r != rows.rend() && r - rows.rbegin() < 3; ++r) {
        const ocr::Box& ref = r->front().box;
        int overlap = std::min(ref.y + ref.h, w.box.y + w.box.h) - std::max(ref.y, w.box.y);
        if (overlap * 2 >= std::min(ref.h, w.box.h)) {
          home = &*r;
          break;
        }
      }
      if (home) {
        home->push_back(w);
      } else {
        rows.push_back({w});
      }
    }
    std::vector<Segment> out;
    for (auto& row : rows) {
      std::sort(row.begin(), row.end(),
                [](const ocr::Word& a, const ocr::Word& b) { return a.box.x < b.box.x; });
      int height = median_height(row);
      std::size_t start = 0;
      for (std::size_t i = 1; i <= row.size(); ++i) {
        if (i < row.size() && row[i].box.x - (row[i - 1].box.x + row[i - 1].box.w) <= 3 * height) {
          continue;
        }
        add_segment(out, 0, row, start, i);
        start = i;
      }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Segment& a, const Segment& b) { return a.top() < b.top(); });
    return out;
  }

  void read_header_columns() {
    for (const auto& s : left_rows_) {
      if (s.top() > band_bottom_) break;
      if (auto n = number_in(s.text)) {
        take_number(*n, s);
        break;
      }
    }
    for (const auto& s : right_rows_) {
      if (s.top() > band_bottom_) break;
      if (read_date_at(s, true, &right_rows_)) break;
    }
    read_authority_from_columns();
    read_letter_subject();
  }

  // Every capitals row of the left column in the block right above "Số:"
  // (or above the band's bottom when there is none), parent body included.
  void read_authority_from_columns() {
    double limit =
        number_segment_ ? number_segment_->top() - number_segment_->height() * 0.3 : band_bottom_;
    std::vector<const Segment*> above;
    for (const auto& s : left_rows_) {
      if (s.bottom() > limit + s.height() * 0.5) break;
      if (has_letters(s.text)) above.push_back(&s);
    }
    std::vector<const Segment*> block;
    for (auto it = above.rbegin(); it != above.rend(); ++it) {
      const Segment& s = **it;
      if (!parse::is_capitals(s.text) || !looks_like_body_name(s.text)) break;
      if (!block.empty() && block.back()->top() - s.bottom() > 2.5 * s.height()) break;
      if (parse::urgency_mark(s.text).size() || parse::secrecy_mark(s.text).size()) continue;
      block.push_back(&s);
    }
    std::reverse(block.begin(), block.end());
    for (const auto* line : block) {
      if (holds_national_name(line->text)) {
        doubts_["authority"] = "header columns read run together";
        return;
      }
    }
    std::string read = join_texts(block);
    double confidence = mean_confidence(block);
    if (!number_prefix_.empty() && parse::is_capitals(number_prefix_)) {
      read = parse::clean(read + " " + number_prefix_);
      confidence = block.empty() ? number_segment_->confidence : confidence;
    }
    if (read.empty()) return;
    std::vector<const Segment*> body = without_parent_line(block);
    if (body.size() < block.size()) {
      parent_read_ = join_texts(
          std::vector<const Segment*>(block.begin(), block.end() - static_cast<long>(body.size())));
    }
    authority_read_ = read;
    authority_body_read_ = body.empty() ? read : join_texts(body);
    authority_confidence_ = confidence;
    authority_words_ = words_of(block);
    parent_words_ = words_of(
        std::vector<const Segment*>(block.begin(), block.end() - static_cast<long>(body.size())));
    if (!number_prefix_.empty() && parse::is_capitals(number_prefix_)) {
      for (const auto& w : number_segment_->words) {
        if (folded(w.first).rfind("so", 0) == 0) break;
        authority_words_.push_back(w);
      }
    }
  }

  // A letter (công văn) has no title: its "V/v …" lines (one to four) stand
  // under "Số:" in the left column, under an urgency or secrecy stamp when
  // it has one (the stamp is read by read_marks, never the subject).
  void read_letter_subject() {
    if (!number_segment_) return;
    std::vector<const Segment*> lines;
    const Segment* above = number_segment_;
    for (const auto& s : left_rows_) {
      if (s.top() <= number_segment_->top() + number_segment_->height() / 2) continue;
      const Segment* prev = lines.empty() ? above : lines.back();
      double gap = s.top() - prev->bottom();
      if (lines.empty() && !has_letters(s.text)) continue;  // the stamp's specks
      // A stamp is known by its words, not its place: it may stand further
      // down (four lines, in the layouts seen) than the subject would.
      bool stamp = !parse::urgency_mark(s.text).empty() || !parse::secrecy_mark(s.text).empty();
      if (lines.empty() && stamp && above == number_segment_ && gap <= 4 * prev->height()) {
        above = &s;
        continue;
      }
      if (gap > (lines.empty() ? 2.5 : 1.3) * prev->height()) break;
      if (lines.empty() && !is_vv(s.raw)) break;
      if (!lines.empty() && (parse::is_capitals(s.text) || crosses_gutter(s))) break;
      lines.push_back(&s);
      if (lines.size() == 4) break;
    }
    if (lines.empty()) return;
    std::string subject;
    for (const auto* l : lines) subject += (subject.empty() ? "" : " ") + l->raw;
    subject = parse::clean(subject);
    // Keep "V/v"/"V/v:" as printed; only a rule's specks go at the end, and
    // a colon: a subject never ends on one, OCR's speck or a "Kính gửi:"
    // run on does.
    while (!subject.empty() && std::string("_-~|*^¬: ").find(subject.back()) != std::string::npos) {
      subject.pop_back();
    }
    set_text_field("subject", subject, mean_confidence(lines), lines);
    letter_subject_bottom_ = lines.back()->bottom();
    is_letter_ = true;
  }

  static bool is_vv(const std::string& text) {
    std::string f = folded(text);
    return starts_with(f, "v/v") || starts_with(f, "v/ v") || starts_with(f, "v.v") ||
           starts_with(f, "vv ");
  }

  // A row whose text runs on across the gutter: a body line, not the column.
  bool crosses_gutter(const Segment& s) const {
    for (const auto& w : words_) {
      if (w.box.x + w.box.w / 2.0 < gutter_) continue;
      int overlap = std::min(s.bottom(), w.box.y + w.box.h) - std::max(s.top(), w.box.y);
      if (overlap * 2 < std::min(s.height(), w.box.h)) continue;
      if (w.box.x - s.right() < 3 * s.height()) return true;
    }
    return false;
  }

  // `header`: in the right column under the motto, where Decree 30 puts it;
  // elsewhere the line must read "PLACE, ngày …".
  bool read_date_at(const Segment& s, bool header, const std::vector<Segment>* rows = nullptr) {
    const std::vector<Segment>& pool = rows ? *rows : pages_[s.page];
    std::optional<parse::DateLine> d = parse::date_line(s.text);
    double confidence = s.confidence;
    std::string doubt;
    if (!d && parse::starts_date(s.text)) {
      // A date split across lines.
      if (const Segment* next = next_below(pool, s)) {
        d = parse::date_line(s.text + " " + next->text);
        if (d) {
          confidence = std::min(confidence, next->confidence);
          doubt = digit_doubt(*next);
        }
      }
    }
    if (!d && header) {
      // One of day, month, year unreadable (left blank for a hand, or
      // smudged): the place stays, the date is not guessed.
      if (auto partial = parse::partial_date_line(s.text)) {
        d = parse::DateLine{partial->place, "", 1.0, "day, month or year unreadable", {}};
      }
    }
    if (!d) return false;
    std::size_t place_words = std::count(d->place.begin(), d->place.end(), ' ') + 1;
    // Outside the header the line must read "PLACE, ngày …": a place has no
    // digits ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020"
    // cites another document).
    if (!header && (place_words > 5 || d->place.empty() || !d->doubt.empty() ||
                    has_digit(d->place) || starts_with(folded(d->place), "can cu"))) {
      return false;
    }
    if (place_words > 4) d->place = last_words(d->place, 4);
    date_segment_ = &s;
    if (doubt.empty()) doubt = d->doubt;
    if (doubt.empty()) doubt = digit_doubt(s);
    std::optional<std::string> reread;
    if (!doubt.empty() && (doubt == d->doubt || doubt == digit_doubt(s))) {
      std::optional<std::string> own;
      if (d->doubt.empty() && !d->iso.empty()) own = d->iso;
      reread = confirmed_by_rereads(s, own, date_reading);
    }
    if (reread) {
      fields_["issued_date"] = {*reread, kRereadConfidence};
    } else if (!doubt.empty()) {
      doubts_["issued_date"] = doubt;
      if (!s.odd_digits) reread_dates_ = sure_rereadings(s, date_reading);
      // Only look-alikes in doubt (the OCR was sure of the rest): another
      // printed date may confirm one reading.
      if (doubt == d->doubt) date_candidates_ = d->candidates;
      // Digits OCR was unsure of: one reading, for another printed date to
      // confirm or not.
      if (d->doubt.empty() && s.digit_confidence < kDigitSure && !s.odd_digits && !d->iso.empty()) {
        date_candidates_ = {d->iso};
      }
    } else {
      fields_["issued_date"] = {d->iso, std::min(confidence, s.digit_confidence) * d->quality};
    }
    if (!d->place.empty() && looks_like_body_name(d->place) && !has_digit(d->place)) {
      std::string canonical = resolver_.canonical_place(d->place);
      fields_["place"] = {canonical.empty() ? d->place : canonical,
                          confidence * (canonical.empty() ? 0.8 : 1.0)};
    }
    return true;
  }

  // The place stays readable when the date beside it is not.
  void read_place_of_damaged_date() {
    const PageGeometry& g = first_geometry();
    for (const auto& s : first()) {
      if (s.top() > 0.45 * g.height) break;
      if (s.centre() < 0.55 * g.width) continue;
      std::optional<parse::PartialDate> partial = parse::partial_date_line(s.text);
      if (!partial || partial->place.empty()) continue;
      std::string canonical = resolver_.canonical_place(partial->place);
      if (!canonical.empty()) fields_["place"] = {canonical, s.confidence};
      return;
    }
  }

  // The date on the number's row, when OCR ran the two columns together
  // (the place then follows the number in the same piece).
  void read_date_beside_number() {
    for (const auto& s : first()) {
      if (same_row(s, *number_segment_) && read_date_at(s, true)) return;
    }
  }

  // Certificates may carry the date above the signature instead: the last
  // "PLACE, ngày …" line of the document.
  void read_date_anywhere() {
    for (auto p = pages_.rbegin(); p != pages_.rend() && !date_segment_; ++p) {
      for (auto s = p->rbegin(); s != p->rend(); ++s) {
        if (read_date_at(*s, false)) break;
      }
    }
  }

  void read_authority() {
    const PageGeometry& g = first_geometry();
    double limit = number_segment_ ? number_segment_->top() - number_segment_->height() * 0.3
                   : date_segment_ ? date_segment_->top() - date_segment_->height() * 0.3
                                   : 0.2 * g.height;
    std::vector<const Segment*> lines;
    for (const auto& s : first()) {
      if (s.top() >= limit) break;
      const Segment* left = &s;
      // A row OCR ran across both columns ("ỦY BAN NHÂN DÂN Độc lập - Tự
      // do - Hạnh phúc"): its words before the national name or the motto
      // are the left column's.
      if (auto part = left_of_national_name(s)) {
        glued_left_.push_back(std::move(*part));
        left = &glued_left_.back();
      } else if (s.left() < 0.47 * g.width && holds_national_name(s.text) &&
                 !starts_with(folded(s.text), "cong hoa")) {
        // The national name glued into a left-column word ("DÂNCỘNG"):
        // where the issuing body ends cannot be told.
        doubts_["authority"] = "header columns read run together";
        return;
      }
      if (left->centre() < 0.47 * g.width && has_letters(left->text) &&
          parse::is_capitals(left->text) && looks_like_body_name(left->text)) {
        lines.push_back(left);
      }
    }
    if (lines.empty()) return;
    std::vector<const Segment*> body = without_parent_line(lines);
    if (body.size() < lines.size()) {
      parent_read_ = join_texts(
          std::vector<const Segment*>(lines.begin(), lines.end() - static_cast<long>(body.size())));
    }
    authority_read_ = join_texts(lines);
    authority_body_read_ = join_texts(body);
    authority_confidence_ = mean_confidence(lines);
    authority_words_ = words_of(lines);
    parent_words_ = words_of(
        std::vector<const Segment*>(lines.begin(), lines.end() - static_cast<long>(body.size())));
  }

  static bool holds_national_name(const std::string& text) {
    std::string f = folded(text);
    return f.find("hoa xa hoi") != std::string::npos ||
           f.find("nghia viet nam") != std::string::npos ||
           f.find("doc lap - tu do") != std::string::npos;
  }

  // The words of `s` before "CỘNG HÒA …" or "Độc lập …" when there are
  // some: a left-column piece with its share of the row's width.
  static std::optional<Segment> left_of_national_name(const Segment& s) {
    for (std::size_t k = 1; k + 1 < s.words.size(); ++k) {
      std::string a = folded(s.words[k].first), b = folded(s.words[k + 1].first);
      bool national = (a == "cong" && b == "hoa") || (a == "doc" && b.rfind("lap", 0) == 0);
      if (!national) continue;
      Segment left = s;
      left.words.assign(s.words.begin(), s.words.begin() + static_cast<long>(k));
      left.text.clear();
      std::size_t chars = 0, all = 0;
      for (const auto& w : s.words) all += w.first.size() + 1;
      for (const auto& w : left.words) {
        left.text += (left.text.empty() ? "" : " ") + w.first;
        chars += w.first.size() + 1;
      }
      left.text = trim_specks(parse::clean(left.text));
      left.raw = left.text;
      left.box.w =
          static_cast<int>(s.box.w * static_cast<double>(chars) / std::max<std::size_t>(1, all));
      double sum = 0;
      for (const auto& w : left.words) sum += w.second;
      left.confidence = sum / static_cast<double>(left.words.size());
      return left;
    }
    return std::nullopt;
  }

  // "UBND HUYỆN TÂY HÒA" above "ỦY BAN NHÂN DÂN / XÃ HÒA ĐỒNG" names the
  // parent body, not the issuer.
  static std::vector<const Segment*> without_parent_line(std::vector<const Segment*> lines) {
    for (std::size_t i = 1; i < lines.size(); ++i) {
      std::string f = folded(lines[i]->text);
      bool body = parse::edit_distance(f.substr(0, 15), "uy ban nhan dan") <= 3;
      if (body) return {lines.begin() + static_cast<long>(i), lines.end()};
    }
    while (lines.size() > 1 && starts_with(folded(lines.front()->text), "ubnd")) {
      lines.erase(lines.begin());
    }
    return lines;
  }

  // Whether `text` opens with `opening` (8 folded characters, "kinh gui"
  // or "noi nhan") as OCR reads it: "Kính gởi", "Kinh gui" are within 2 edits.
  static bool opens_with(const std::string& text, const char* opening) {
    return parse::edit_distance(folded(text).substr(0, 8), opening) <= 2;
  }

  static bool starts_kinh_gui(const std::string& text) { return opens_with(text, "kinh gui"); }

  // "Kính gửi:" and "Nơi nhận:".
  static bool is_addressee_line(const std::string& text) {
    return starts_kinh_gui(text) || opens_with(text, "noi nhan");
  }

  // An authority line is words of letters: not "Số: …", not OCR's garbage.
  static bool looks_like_body_name(const std::string& text) {
    std::string f = folded(text);
    // "Số: 12/QĐ" (not "SỞ TƯ PHÁP", which folds alike).
    static const std::regex number_line(R"(^s[o0]\s*[:;.,\-]?\s*[0-9oil|])");
    if (starts_with(f, "so:") || std::regex_search(f, number_line) ||
        f.find('@') != std::string::npos) {
      return false;
    }
    std::size_t letters =
        std::count_if(f.begin(), f.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    std::size_t others = std::count_if(f.begin(), f.end(), [](char c) {
      return c != ' ' && c != '.' && c != '-' && !(c >= 'a' && c <= 'z');
    });
    return letters >= 2 && others * 5 <= letters;
  }

  static std::string mark_of(const std::string& text) {
    std::string m = parse::urgency_mark(text);
    if (m.empty()) m = parse::secrecy_mark(text);
    if (m.empty()) m = parse::copy_mark(text);
    return m;
  }

  double header_bottom() const {
    double bottom = letter_subject_bottom_;
    for (const Segment* s : {number_segment_, date_segment_}) {
      if (s && s->page == 0) bottom = std::max(bottom, static_cast<double>(s->bottom()));
    }
    if (bottom == 0) bottom = 0.18 * first_geometry().height;
    return bottom;
  }

  // A title is a known document type, or capitals of two words or more
  // (not a recipients' code such as "CB-GV-NV", not "KÍNH GỬI").
  static bool could_be_title(const std::string& text) {
    if (closest(known_titles(), text)) return true;
    std::string f = folded(text);
    // "CHỦ TỊCH ỦY BAN NHÂN DÂN …" opens the body of a decision: no title.
    // A deputy's role line ("PHÓ CHỦ TỊCH") under a title-less letter's
    // signature is none either.
    std::string bare = starts_with(f, "pho ") ? f.substr(4) : f;
    bool role = starts_with(bare, "chu tich") || starts_with(bare, "giam doc") ||
                starts_with(bare, "truong phong") || starts_with(bare, "bo truong") ||
                starts_with(bare, "chanh van phong");
    // Nor a signer's "TM. ỦY BAN NHÂN DÂN", which a letter's page, having no
    // title, leaves as the first capitals line under the header.
    if (is_addressee_line(text) || has_digit(f) || role || parse::has_signing_prefix(text))
      return false;
    int words = 0;
    for (std::size_t b = 0, e; b < f.size(); b = e + 1) {
      e = f.find(' ', b);
      if (e == std::string::npos) e = f.size();
      std::string w = f.substr(b, e - b);
      if (std::count_if(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; }) >= 2 &&
          w.find('-') == std::string::npos) {
        ++words;
      }
    }
    return words >= 2;
  }

  void read_title() {
    // A letter's "V/v" under its number stands where a title would be.
    if (is_letter_) return;
    const PageGeometry& g = first_geometry();
    double below = header_bottom();
    const auto& segs = first();
    std::size_t i = 0;
    for (; i < segs.size(); ++i) {
      const Segment& s = segs[i];
      if (s.top() <= below - s.height() / 2) continue;
      // The title stands above "Kính gửi:" (Decree 30); what follows it is
      // the recipients' block ("SỞ TƯ PHÁP" in capitals, centred).
      if (starts_kinh_gui(s.text)) return;
      if (s.centre() > 0.3 * g.width && s.centre() < 0.72 * g.width && has_letters(s.text) &&
          parse::is_capitals(s.text) && mark_of(s.text).empty()) {
        if (could_be_title(s.text)) break;
      }
      if (s.top() > 0.6 * g.height) return;
    }
    if (i == segs.size()) return;
    std::vector<const Segment*> title = {&segs[i]};
    std::size_t j = i + 1;
    for (; j < segs.size(); ++j) {
      const Segment& s = segs[j];
      const Segment& prev = *title.back();
      bool follows = s.top() - prev.bottom() < 1.5 * prev.height() &&
                     std::abs(s.centre() - prev.centre()) < 0.08 * g.width;
      if (!follows || !parse::is_capitals(s.text)) break;
      title.push_back(&s);
    }
    std::string read = join_texts(title);
    std::optional<std::string> known = closest(known_titles(), read);
    set_text_field("doc_type", known.value_or(read), mean_confidence(title) * (known ? 1.0 : 0.8),
                   title, known.has_value());
    read_subject(j, *title.back(), title.front()->centre());
  }

  // Centred lines right under the title, not in capitals: the trích yếu.
  void read_subject(std::size_t from, const Segment& title_end, double centre) {
    const PageGeometry& g = first_geometry();
    const auto& segs = first();
    // The text width: wider than most lines (a speck-stretched line may be
    // wider still).
    std::vector<int> widths;
    for (const auto& s : segs) widths.push_back(s.box.w);
    std::sort(widths.begin(), widths.end());
    double widest = widths.empty() ? 0 : widths[widths.size() * 9 / 10];
    std::vector<const Segment*> subject;
    const Segment* prev = &title_end;
    for (std::size_t j = from; j < segs.size(); ++j) {
      const Segment& s = segs[j];
      bool follows = s.top() - prev->bottom() < 1.6 * prev->height();
      bool centred = std::abs(s.centre() - centre) < 0.04 * g.width && s.box.w < 0.9 * widest;
      if (!follows || !centred || parse::is_capitals(s.text) || subject.size() == 3) break;
      subject.push_back(&s);
      prev = &s;
    }
    if (!subject.empty()) {
      set_text_field("subject", subject_text(subject), mean_confidence(subject), subject);
    }
  }

  static bool is_role_line(const Segment& s) {
    if (!parse::is_capitals(s.text) || !has_letters(s.text)) return false;
    if (parse::has_signing_prefix(s.text)) return true;
    std::string f = folded(s.text);
    for (const char* word : {"chu tich", "truong", "giam doc", "bi thu", "cong chuc"}) {
      if (f.find(word) != std::string::npos) return true;
    }
    return false;
  }

  // The signer block, bottom right of the last page that has one: role
  // lines in capitals ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ
  // TỊCH"), the signature and seal, then the name, maybe after a rank
  // ("Trung tá Ngô Văn Công"). signer_role is every role line, prefixes kept.
  void read_signer() {
    for (std::size_t p = pages_.size(); p-- > 0;) {
      const auto& segs = pages_[p];
      const PageGeometry& g = geometry_[p];
      // A copy (Decree 30's form: "SAO Y", its number and date, the copy's
      // own signer) is printed under the original: the original's signer
      // is above the mark. A mark at the top of the first page is a stamp
      // over the header, above the original's text.
      double below = 1e9;
      for (const auto& s : segs) {
        if (parse::copy_mark(s.text).empty()) continue;
        if (p == 0 && s.top() < 0.2 * g.height) continue;
        below = std::min(below, static_cast<double>(s.top()));
      }
      auto in_column = [&](const Segment& s) {
        return s.centre() > 0.55 * g.width && s.bottom() <= below;
      };
      const Segment* name = nullptr;
      std::string name_text;
      for (const auto& s : segs) {
        std::string bare = parse::without_rank(s.text);
        if (in_column(s) && parse::looks_like_person_name(bare)) {
          name = &s;
          name_text = bare;
        }
      }
      std::vector<const Segment*> candidates;
      for (const auto& s : segs) {
        if (!in_column(s) || !parse::is_capitals(s.text) || !has_letters(s.text)) continue;
        if (s.top() < 0.2 * g.height && p == 0) continue;  // the header's right column
        if (name && (s.top() >= name->top() || name->top() - s.bottom() > 10 * s.height()))
          continue;
        candidates.push_back(&s);
      }
      // The block starts at its first role line and runs on while the next
      // line follows right under it.
      std::vector<const Segment*> block;
      for (const Segment* c : candidates) {
        if (block.empty()) {
          if (is_role_line(*c)) block.push_back(c);
          continue;
        }
        const Segment* prev = block.back();
        if (c->top() - prev->bottom() > 1.2 * prev->height()) break;
        block.push_back(c);
      }
      if (block.empty() && !name) continue;
      if (block.empty() && name) {
        set_text_field("signer", name_text, name->confidence, {name});
        // Decree 30 prints a role above every signer's name: none read
        // means the seal or signature hid it, and null needs a reason.
        if (const Segment* r = unread_role_line(segs, g, p, in_column, name, nullptr)) {
          doubts_["signer_role"] =
              "the role lines above the name are unreadable (\"" + r->text + "\")";
        } else {
          doubts_["signer_role"] = "no role line read above the name";
        }
        return;
      }
      std::string role;
      std::vector<std::string> lines;
      double confidence = 1.0;
      bool known = true;
      for (const Segment* line : block) {
        auto [text, in_lexicon] = role_line(line->text);
        role += (role.empty() ? "" : " ") + text;
        lines.push_back(text);
        confidence = std::min(confidence, line->confidence);
        known = known && in_lexicon;
      }
      // Part of a role is a wrong role ("TM. ỦY BAN NHÂN DÂN" alone for a
      // deputy's signature): a role is stored only when every line is one
      // the lexicon knows and the lines make a whole block.
      if (std::string doubt = role_block_doubt(lines); !doubt.empty()) {
        doubts_["signer_role"] = doubt;
      } else if (const Segment* off = off_centre_line(block, name, name_text)) {
        doubts_["signer_role"] =
            "\"" + off->text + "\" is off the block's centre: part of it unread";
      } else if (const Segment* r = unread_role_line(segs, g, p, in_column, name, block.front())) {
        doubts_["signer_role"] =
            "a line above \"" + block.front()->text + "\" is unreadable (\"" + r->text + "\")";
      } else if (!known) {
        doubts_["signer_role"] = "a role line the lexicon does not know";
      } else {
        set_text_field("signer_role", parse::clean(role), confidence, block, true);
      }
      if (name) set_text_field("signer", name_text, name->confidence, {name});
      return;
    }
  }

  // The role lines and the name are centred on one axis (Decree 30's
  // signature block); a line read off it by half a line's height or more
  // lost words at one end ("KT." under the seal leaves "CHỦ TỊCH", a role
  // that looks whole). The axis is the name's when it reads as a name (a
  // name read in part is off it itself), else the first line's.
  static const Segment* off_centre_line(const std::vector<const Segment*>& block,
                                        const Segment* name, const std::string& name_text) {
    bool whole_name = name && lexicon::is_family_name(name_text.substr(0, name_text.find(' ')));
    double axis = whole_name ? name->text_centre() : block.front()->text_centre();
    for (const Segment* line : block) {
      if (std::abs(line->text_centre() - axis) > 0.5 * line->height()) return line;
    }
    return nullptr;
  }

  // A line of the signer's column that the role block does not take, where
  // role lines stand: right above the block's `first` line, or, with no
  // block, anywhere above the name. Role lines read garbled ("TM-ỦY BÀN
  // NHÂN DÂN", "PtylaN NHÂN DÂN" under a seal) leave such a line, and the
  // rest of the block is then only part of the role.
  template <typename InColumn>
  static const Segment* unread_role_line(const std::vector<Segment>& segs, const PageGeometry& g,
                                         std::size_t page, const InColumn& in_column,
                                         const Segment* name, const Segment* first) {
    if (!first && !name) return nullptr;
    for (const auto& s : segs) {
      if (&s == name || &s == first || !in_column(s) || !has_letters(s.text)) continue;
      if (page == 0 && s.top() < 0.2 * g.height) continue;  // the header's right column
      if (first) {
        bool above = s.top() < first->top() && first->top() - s.bottom() < 1.2 * s.height();
        bool overlaps = std::min(s.right(), first->right()) > std::max(s.left(), first->left());
        if (above && overlaps) return &s;
      } else if (s.top() < name->top() && name->top() - s.bottom() <= 10 * s.height()) {
        return &s;
      }
    }
    return nullptr;
  }

  // Decree 30 (Art. 8): "TM."/"KT."/"TL."/"TUQ." name on whose behalf the
  // signer signs, and the signer's own position follows on the next line; a
  // deputy ("PHÓ …") signs "KT." for the head, and "KT." is always a
  // deputy's. A block that ends on such a line, or whose deputy has no
  // "KT." line above (or the reverse), lost a line, most often under the
  // seal: "" when the block is whole, else why not.
  static std::string role_block_doubt(const std::vector<std::string>& lines) {
    auto prefix = [](const std::string& line) {
      if (!parse::has_signing_prefix(line)) return std::string();
      std::string f = folded(line);
      f = f.substr(0, f.find_first_of(".,:"));
      f.erase(std::remove(f.begin(), f.end(), ' '), f.end());
      f.erase(std::remove(f.begin(), f.end(), '/'), f.end());
      return f;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string p = prefix(lines[i]);
      bool deputy = starts_with(folded(parse::strip_signing_prefix(lines[i])), "pho ");
      bool last = i + 1 == lines.size();
      if (!p.empty() && p != "q" && last)
        return "a role line under \"" + lines[i] + "\" is missing";
      if (p == "kt" && !starts_with(folded(lines[i + 1]), "pho ")) {
        return "\"" + lines[i] + "\" is not followed by a deputy's role";
      }
      if (deputy && p.empty() && (i == 0 || prefix(lines[i - 1]) != "kt")) {
        return "the \"KT.\" line above \"" + lines[i] + "\" is missing";
      }
      if (p.empty() && !last) return "a role line after \"" + lines[i] + "\"";
    }
    return {};
  }

  // "KT . CHU TICH" -> {"KT. CHỦ TỊCH", true}: the prefix in its printed
  // form and the role or body in the lexicon's spelling when close to it.
  static std::pair<std::string, bool> role_line(const std::string& text) {
    std::string prefix;
    if (parse::has_signing_prefix(text)) {
      std::string f = folded(text);
      std::size_t end = f.find_first_of(".,:");
      prefix = text::upper(f.substr(0, end));
      prefix.erase(std::remove(prefix.begin(), prefix.end(), ' '), prefix.end());
      prefix += ".";
    }
    std::string rest = parse::strip_signing_prefix(text);
    std::vector<std::string> lexicon = known_roles();
    // The collective bodies a "TM." line names.
    for (const char* body : {"ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "BAN THƯỜNG VỤ", "CHÍNH PHỦ"})
      lexicon.push_back(body);
    std::optional<std::string> known = closest(lexicon, rest, 4);
    std::string body = known.value_or(rest);
    return {prefix.empty() ? body : prefix + " " + body, known.has_value()};
  }

  // "Kính gửi:" entries (on its line and the "-" lines under it), then the
  // "Nơi nhận:" entries of the last page, as printed: a leading dash
  // dropped, a trailing ";" or "." kept, dot leaders dropped.
  void read_recipients() {
    std::vector<std::string> entries;
    std::vector<const Segment*> used;
    for (const auto& segs : pages_) {
      for (std::size_t i = 0; i < segs.size(); ++i) {
        std::string f = folded(segs[i].raw);
        std::size_t at = f.find("kinh gui");
        bool to = at != std::string::npos && at < 4;
        at = f.find("noi nhan");
        bool copies = at != std::string::npos && at < 4;
        if (!to && !copies) continue;
        std::size_t from = entries.size();
        list_entries(segs, i, to, entries, used);
        entries.erase(std::remove(entries.begin() + static_cast<long>(from), entries.end(), ""),
                      entries.end());
        if (!copies) continue;
        // The list closes with "Lưu: …" (Decree 30); one that does not was
        // read only in part.
        if (entries.size() > from && folded(entries.back()).rfind("luu", 0) != 0) {
          doubts_["recipients"] = "the \"Nơi nhận\" list was read only in part";
          return;
        }
        punctuate_copies(entries, from);
      }
    }
    if (!entries.empty()) set_text_field("recipients", nlohmann::json(entries).dump(), 0.8, used);
  }

  // Decree 30 (Appendix I) punctuates the "Nơi nhận:" list: each entry ends
  // with ";", the last ("Lưu: VT, …") with "."; OCR of the small font loses
  // or confuses these marks (";" as ":" or ",", the final dot lost). The
  // entries from `from` on get the prescribed marks; "Lưu." / "Lưu," read
  // for "Lưu:" gets its colon.
  static void punctuate_copies(std::vector<std::string>& entries, std::size_t from) {
    for (std::size_t k = from; k < entries.size(); ++k) {
      std::string& e = entries[k];
      bool last = k + 1 == entries.size();
      std::string f = folded(e);
      // The closing entry is "Lưu:" whatever marks OCR gave it ("Lựu:").
      if (f.rfind("luu", 0) == 0 && f.size() > 4 &&
          std::string(":.,;").find(f[3]) != std::string::npos) {
        parse::AlignedText t(e);
        e = "Lưu:" + t.original(4, t.size());
      }
      while (!e.empty() && std::string(";:,.").find(e.back()) != std::string::npos) e.pop_back();
      if (!e.empty()) e += last ? "." : ";";
    }
  }

  static std::string entry_text(const std::string& raw) {
    std::string e = parse::clean(raw);
    // A speck or a stray mark ("Nơi nhận." read for its colon) is no entry.
    std::string f = folded(e);
    if (std::none_of(f.begin(), f.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
      return {};
    }
    std::size_t b = e.find_first_not_of("-+•*– ");
    if (b == std::string::npos) return {};
    e = e.substr(b);
    static const std::string kEllipsis = "…";
    for (bool trimmed = true; trimmed && !e.empty();) {
      trimmed = false;
      while (!e.empty() && (e.back() == '.' || e.back() == ' ') && e.size() >= 2 &&
             (e[e.size() - 2] == '.' || e[e.size() - 2] == ' ')) {
        e.pop_back();
        trimmed = true;
      }
      if (e.size() >= kEllipsis.size() && e.ends_with(kEllipsis)) {
        e.erase(e.size() - kEllipsis.size());
        trimmed = true;
      }
    }
    while (!e.empty() && e.back() == ' ') e.pop_back();
    return e;
  }

  static bool is_listed(const std::string& raw) {
    std::string t = parse::clean(raw);
    return !t.empty() &&
           (t[0] == '-' || t[0] == '+' || t.rfind("•", 0) == 0 || t.rfind("–", 0) == 0);
  }

  static void list_entries(const std::vector<Segment>& segs, std::size_t i, bool to,
                           std::vector<std::string>& entries, std::vector<const Segment*>& used) {
    const Segment& head = segs[i];
    parse::AlignedText text(head.raw);
    std::size_t colon = text.folded().find(':');
    std::string rest = colon == std::string::npos
                           ? text.original(std::min<std::size_t>(8, text.size()), text.size())
                           : text.original(colon + 1, text.size());
    rest = entry_text(rest);
    if (!rest.empty()) {
      entries.push_back(rest);
      used.push_back(&head);  // only its entry counts ("Nơi nhận:" may be smudged)
    }
    const Segment* prev = &head;
    bool first = rest.empty();
    for (std::size_t k = i + 1; k < segs.size() && k < i + 30; ++k) {
      const Segment& s = segs[k];
      if (s.top() <= prev->top() + prev->height() / 2) continue;  // same row: another column
      bool column = std::abs(s.left() - head.left()) < 6 * head.height() &&
                    s.left() < head.left() + (to ? 12 : 6) * head.height();
      if (!column) continue;
      if (s.top() - prev->bottom() > 1.6 * prev->height()) break;
      bool take = is_listed(s.raw) || (first && to);
      if (!take) break;
      std::string e = entry_text(s.raw);
      if (!e.empty()) entries.push_back(e);
      used.push_back(&s);
      first = false;
      prev = &s;
    }
  }

  // Stamps and lines of their own: urgency, secrecy, copy marks.
  void read_marks() {
    for (const auto& segs : pages_) {
      for (const auto& s : segs) {
        std::string t = s.text;
        if (auto u = parse::urgency_mark(t); !u.empty() && !fields_.count("urgency"))
          fields_["urgency"] = {u, s.confidence};
        if (auto m = parse::secrecy_mark(t); !m.empty() && !fields_.count("secrecy"))
          fields_["secrecy"] = {m, s.confidence};
        if (auto c = parse::copy_mark(t); !c.empty() && !fields_.count("copy_mark"))
          fields_["copy_mark"] = {c, s.confidence};
      }
    }
  }

  // Lowest OCR confidence of the words, in segments i..i+2, that hold a
  // run of three or more of the id's digits.
  static double id_digit_confidence(const std::vector<Segment>& segs, std::size_t i,
                                    const std::string& id) {
    double lowest = 1.0;
    for (std::size_t k = i; k < segs.size() && k <= i + 2; ++k) {
      for (const auto& w : segs[k].words) {
        std::string digits;
        for (char c : w.first) {
          if (c >= '0' && c <= '9') digits += c;
        }
        if (digits.size() >= 3 && id.find(digits) != std::string::npos) {
          lowest = std::min(lowest, w.second);
        }
      }
    }
    return lowest;
  }

  // The re-reads of the id's digits (in segments i..i+2) both read `id`:
  // three readings agree. A citizen's key, so the re-reads must confirm
  // what the page's reading gave, never replace it.
  bool id_confirmed(const std::vector<Segment>& segs, std::size_t i, const std::string& id) const {
    for (std::size_t k = i; k < segs.size() && k <= i + 2; ++k) {
      if (confirmed_by_rereads(segs[k], id, citizen_id_in) == id) return true;
    }
    return false;
  }

  void read_citizen_ids() {
    std::vector<std::string> ids;
    bool doubtful = false, unsure_digits = false;
    double confidence = 1.0;
    for (const auto& segs : pages_) {
      for (std::size_t i = 0; i < segs.size(); ++i) {
        if (!parse::mentions_citizen_id(segs[i].text)) continue;
        // The number may follow on the next line, or two pieces later when
        // a skewed line was read in fragments.
        std::string next;
        for (std::size_t k = i + 1; k < segs.size() && k <= i + 2; ++k) next += segs[k].text + " ";
        for (const auto& id : parse::citizen_ids(segs[i].text, next, &doubtful)) {
          if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
          confidence = std::min(confidence, segs[i].confidence);
          // A number is only as sure as the words its digits were read in,
          // unless both re-readings of its digits read it the same.
          if (id_digit_confidence(segs, i, id) < kIdSure && !id_confirmed(segs, i, id)) {
            unsure_digits = true;
          }
        }
      }
    }
    if (doubtful) {
      doubts_["citizen_ids"] = "letter in a digit position";
      return;
    }
    if (unsure_digits) {
      doubts_["citizen_ids"] = "digits read with low confidence";
      return;
    }
    if (!ids.empty()) fields_["citizen_ids"] = {nlohmann::json(ids).dump(), confidence};
  }

  void read_dossier_code() {
    for (const auto& segs : pages_) {
      for (const auto& s : segs) {
        if (auto code = parse::dossier_code(s.text)) {
          std::string doubt = code->doubt.empty() ? digit_doubt(s) : code->doubt;
          std::optional<std::string> reread;
          if (!doubt.empty()) {
            std::optional<std::string> own;
            if (code->doubt.empty()) own = code->value;
            reread = confirmed_by_rereads(s, own, dossier_reading);
          }
          if (doubt.empty() && contradicted_by_rereads(s, code->value, dossier_reading)) {
            doubt = "a second reading gives another code";
          }
          if (reread) {
            fields_["dossier_code"] = {*reread, kRereadConfidence};
          } else if (doubt.empty()) {
            fields_["dossier_code"] = {code->value, s.confidence * code->quality};
          } else {
            doubts_["dossier_code"] = doubt;
            // Its date, as a second reading of the issue date (never stored
            // as the code: the rest of its digits are not confirmed).
            if (!s.odd_digits) dossier_date_readings_ = code_date_readings(code->value);
          }
          return;
        }
      }
    }
  }

  // A re-read of "Mã hồ sơ: …" may lose the keyword's first words to the
  // crop's edge ("sơ: H46.17-…"): the code after its colon is read then.
  // One whose code has a letter that stands for one digit only ("I8") votes
  // for the code with that digit, repaired.
  static std::optional<Vote> dossier_reading(const std::string& text) {
    std::size_t colon = text.find(':');
    if (colon == std::string::npos || colon > 12) return std::nullopt;
    Vote vote;
    std::string code_text = unambiguous_digits(text.substr(colon + 1), &vote.repaired);
    auto code = parse::dossier_code("Mã hồ sơ: " + code_text);
    if (!code || !code->doubt.empty()) return std::nullopt;
    vote.value = code->value;
    return vote;
  }

  // The dates the middle part of a one-stop-shop code ("H46.17-2309S8-8374")
  // can stand for: digits as read, S as 5 or 8, O as 0, I/l/! as 1.
  static std::vector<std::string> code_date_readings(const std::string& code) {
    std::size_t a = code.find('-');
    std::size_t b = a == std::string::npos ? a : code.find('-', a + 1);
    if (b == std::string::npos || b - a != 7) return {};
    std::vector<std::string> readings = {""};
    for (char c : code.substr(a + 1, 6)) {
      std::string options;
      if (c >= '0' && c <= '9') {
        options = std::string(1, c);
      } else if (c == 'S' || c == 's') {
        options = "58";
      } else {
        char r = parse::repair_digits(std::string(1, c))[0];
        if (r < '0' || r > '9') return {};
        options = std::string(1, r);
      }
      std::vector<std::string> next;
      for (const auto& r : readings) {
        for (char o : options) next.push_back(r + o);
      }
      readings = std::move(next);
    }
    std::vector<std::string> dates;
    for (const auto& r : readings) {
      auto iso = parse::iso_date(r.substr(4, 2) + "/" + r.substr(2, 2) + "/20" + r.substr(0, 2));
      if (iso) dates.push_back(*iso);
    }
    return dates;
  }

  // Other dates the document prints that equal its issue date in practice:
  // the date in the dossier code and the registration date of civil status
  // extracts.
  std::vector<std::string> corroborating_dates() const {
    std::vector<std::string> dates;
    auto code = fields_.find("dossier_code");
    if (code != fields_.end()) {
      if (auto d = parse::dossier_date(code->second.value)) dates.push_back(*d);
    }
    for (const auto& segs : pages_) {
      for (const auto& s : segs) {
        if (auto d = parse::registration_date(s.text)) dates.push_back(*d);
      }
    }
    return dates;
  }

  // A doubtfully read issue date that another printed date (dossier code,
  // registration date) confirms in full is sure. Never the other way: a
  // date that differs is not replaced by a guess.
  void corroborate_date() {
    // A sure re-reading of the date line that a sure printed date (the
    // dossier code's, the registration date) confirms: two sources agree.
    if (doubts_.count("issued_date") && reread_dates_.size() == 1) {
      for (const auto& other : corroborating_dates()) {
        if (other != reread_dates_.front()) continue;
        fields_["issued_date"] = {other, kRereadConfidence};
        doubts_.erase("issued_date");
        return;
      }
    }
    if (doubts_.count("issued_date") && !date_candidates_.empty()) {
      // Two readings of the same date, both unsure (the date line's and the
      // dossier code's): taken when exactly one date fits both.
      std::vector<std::string> both;
      for (const auto& d : date_candidates_) {
        if (std::find(dossier_date_readings_.begin(), dossier_date_readings_.end(), d) !=
            dossier_date_readings_.end()) {
          both.push_back(d);
        }
      }
      for (const auto& other : corroborating_dates()) {
        if (std::find(date_candidates_.begin(), date_candidates_.end(), other) !=
                date_candidates_.end() &&
            std::find(both.begin(), both.end(), other) == both.end()) {
          both.push_back(other);
        }
      }
      if (both.size() == 1) {
        fields_["issued_date"] = {both.front(), 0.8};
        doubts_.erase("issued_date");
        return;
      }
    }
    if (doubts_.count("issued_date") && date_candidates_.size() == 1) {
      // Two printed sources agreeing: the date line's look-alikes, which
      // read only one way (O, l: not S, 5 or 8), and the sure dossier code
      // or registration date. Never a choice between readings.
      for (const auto& other : corroborating_dates()) {
        if (std::find(date_candidates_.begin(), date_candidates_.end(), other) !=
            date_candidates_.end()) {
          fields_["issued_date"] = {other, 0.8};
          doubts_.erase("issued_date");
          return;
        }
      }
    }
    auto it = fields_.find("issued_date");
    if (it == fields_.end() || it->second.confidence >= 0.6) return;
    for (const auto& other : corroborating_dates()) {
      if (other == it->second.value) {
        it->second.confidence = std::max(it->second.confidence, 0.8);
        return;
      }
    }
  }

  // The latest date a "Căn cứ …" line cites: the legal bases of a
  // document (Decree 30) were issued before it, on a day printed as "ngày
  // DD tháng MM năm YYYY" or DD/MM/YYYY, or at least in the year of their
  // number ("13/2018/NĐ-CP"). Empty when no basis line has a sure date.
  std::string latest_cited_date() const {
    static const std::regex spelled(
        R"(ngay\s*([0-9]{1,2})\s*thang\s*([0-9]{1,2})\s*nam\s*([0-9]{4}))");
    static const std::regex numeric(
        R"((^|[^0-9/])([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})($|[^0-9/]))");
    static const std::regex number_year(R"([0-9]+/([0-9]{4})/[a-z])");
    std::string latest;
    auto consider = [&](const std::optional<std::string>& iso) {
      if (iso && *iso > latest) latest = *iso;
    };
    for (const auto& segs : pages_) {
      for (std::size_t i = 0; i < segs.size(); ++i) {
        if (folded(segs[i].text).rfind("can cu", 0) != 0) continue;
        // The whole printed row: a justified line's wide word gaps may have
        // cut it into pieces.
        std::string f;
        bool sure = true;
        for (const auto& other : segs) {
          if (other.left() < segs[i].left() || !same_row(other, segs[i])) continue;
          f += folded(other.text) + " ";
          sure = sure && other.digit_confidence >= kDigitSure;
        }
        if (!sure) continue;
        for (std::sregex_iterator m(f.begin(), f.end(), spelled), end; m != end; ++m) {
          consider(parse::iso_date((*m)[1].str() + "/" + (*m)[2].str() + "/" + (*m)[3].str()));
        }
        for (std::sregex_iterator m(f.begin(), f.end(), numeric), end; m != end; ++m) {
          consider(parse::iso_date((*m)[2].str() + "/" + (*m)[3].str() + "/" + (*m)[4].str()));
        }
        for (std::sregex_iterator m(f.begin(), f.end(), number_year), end; m != end; ++m) {
          consider(parse::iso_date("01/01/" + (*m)[1].str()));
        }
      }
    }
    return latest;
  }

  // An issue date before a date the document cites as its basis was misread
  // ("năm 2016" for 2018 beside "Nghị định số 13/2018/NĐ-CP"): null, with
  // the reason.
  void check_date_against_citations() {
    auto it = fields_.find("issued_date");
    if (it == fields_.end()) return;
    std::string cited = latest_cited_date();
    if (cited.empty() || it->second.value >= cited) return;
    fields_.erase(it);
    doubts_["issued_date"] = "earlier than " + cited + ", the date of a document it cites";
  }

  void resolve_unit(Extraction& out, const std::string& station_unit) {
    Found date = fields_.count("issued_date") ? fields_["issued_date"] : Found{};
    std::string place = fields_.count("place") ? fields_["place"].value : "";
    UnitMatch m = resolve_issuer(resolver_, authority_body_read_, place, date.value,
                                 date.confidence, station_unit, out);
    if (!authority_read_.empty()) {
      // The issuer's name takes the registry's spelling when it is the unit
      // found; so does the parent line when it names that unit's parent.
      // A name the registry does not confirm is checked word by word
      // against the lexicon of body names, and otherwise only as sure as
      // OCR was of each word: "CHÍNH PHÙ" reads as "CHÍNH PHỦ", an unsure
      // "TỎNG" leaves the field to a person.
      bool canonical = !m.canonical_authority.empty();
      Checked whole = checked_body(authority_words_);
      Checked parent_checked = checked_body(parent_words_);
      std::string value = whole.text.empty() ? authority_read_ : whole.text;
      bool sure = whole.sure;
      if (canonical) {
        std::optional<std::string> registry_parent = canonical_parent(m.code);
        bool parent_confirmed = parent_read_.empty() || registry_parent.has_value();
        std::string parent = registry_parent.value_or(parent_checked.text);
        value = parse::clean(parent + " " + m.canonical_authority);
        sure = parent_confirmed || parent_checked.sure;
      }
      if (sure) {
        fields_["authority"] = {
            value, canonical ? std::max(authority_confidence_, 0.9) : authority_confidence_ * 0.8};
      } else {
        doubts_["authority"] = "words read with low confidence";
      }
    }
  }

  struct Checked {
    std::string text;
    bool sure = true;
  };
  // A word no lexicon phrase spells is taken as read when OCR was sure of
  // it and it is spelt like a word of a body's name (a syllable, a number,
  // an abbreviation) or of a registered unit's: "LIBND" read surely for
  // UBND is neither, and leaves the field to a person.
  Checked checked_body(const std::vector<std::pair<std::string, double>>& words) const {
    Checked out;
    for (const auto& w : lexicon::check_body_words(words)) {
      out.text += (out.text.empty() ? "" : " ") + w.text;
      if (w.known) continue;
      bool spelt = lexicon::spelt_like_a_word(w.text) || resolver_.names_word(w.text);
      if (!spelt || !sure_words({{w.text, w.confidence}})) out.sure = false;
    }
    out.text = parse::clean(out.text);
    return out;
  }

  // A text field read from `segs`: stored when a lexicon confirmed it
  // (`validated`) or OCR was sure of every word, else null with the doubt.
  void set_text_field(const std::string& name, const std::string& value, double confidence,
                      const std::vector<const Segment*>& segs, bool validated = false) {
    if (name == "signer" && !lexicon::is_family_name(value.substr(0, value.find(' ')))) {
      doubts_[name] = "the name does not open with a family name";
      return;
    }
    double bar = name == "subject" || name == "recipients" ? kFreeTextSure : kTextSure;
    if (validated || sure_words(words_of(segs), bar)) {
      fields_[name] = {value, confidence};
    } else {
      doubts_[name] = "words read with low confidence";
    }
  }

  // Lines of a subject as printed: its commas and full stops kept, specks
  // and rules at the ends dropped.
  static std::string subject_text(const std::vector<const Segment*>& lines) {
    std::string out;
    for (const auto* l : lines) {
      std::string raw = l->raw;
      std::size_t b = raw.find_first_not_of("_-'\"`~|*^ ");
      std::size_t e = raw.find_last_not_of("_-'\"`~|*^ ");
      if (b == std::string::npos) continue;
      out += (out.empty() ? "" : " ") + raw.substr(b, e - b + 1);
    }
    out = parse::clean(out);
    // A subject never ends on a colon ("…xây dựng:" is a speck read).
    while (!out.empty() && (out.back() == ':' || out.back() == ' ')) out.pop_back();
    return out;
  }

  // "UBND TÍNH PHÚ YÊN" read above the issuer whose parent is Tỉnh Phú Yên
  // -> "UBND TỈNH PHÚ YÊN", in the printed form (UBND or ỦY BAN NHÂN DÂN);
  // nullopt when there is no parent line or it is not close to the parent's
  // name.
  std::optional<std::string> canonical_parent(const std::string& code) const {
    if (parent_read_.empty()) return std::nullopt;
    const storage::Unit* unit = resolver_.find(code);
    const storage::Unit* parent = unit ? resolver_.find(unit->parent) : nullptr;
    if (!parent) return std::nullopt;
    for (const char* body : {"UBND ", "ỦY BAN NHÂN DÂN "}) {
      std::string form = text::upper(std::string(body) + parent->name);
      if (UnitResolver::close_names(parent_read_, form)) return form;
    }
    return std::nullopt;
  }

  // A value read so poorly that it may well be wrong is null, for a person
  // to read (SPEC).
  void drop_low_confidence() {
    for (auto it = fields_.begin(); it != fields_.end();) {
      if (it->second.confidence < kReviewThreshold) {
        doubts_[it->first] = "read with low confidence";
        it = fields_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void emit(Extraction& out) {
    for (const auto& name : storage::metadata_field_names()) {
      auto it = fields_.find(name);
      if (it == fields_.end()) continue;
      double c = std::clamp(it->second.confidence, 0.0, kMaxExtractedConfidence);
      out.fields.push_back({name, it->second.value, std::round(c * 1000) / 1000});
    }
    for (const auto& [name, why] : doubts_) {
      if (fields_.count(name)) continue;
      out.doubts.push_back({name, why});
    }
  }

  const UnitResolver& resolver_;
  const std::vector<ocr::PageText>& texts_;
  std::vector<std::vector<Segment>> pages_;
  std::vector<PageGeometry> geometry_;
  const Segment* number_segment_ = nullptr;
  const Segment* date_segment_ = nullptr;
  std::string authority_read_;       // every line of the block, parent included
  std::string authority_body_read_;  // the issuing body's lines alone
  std::vector<std::pair<std::string, double>> authority_words_, parent_words_;
  std::string parent_read_;  // the parent body's lines, "" when none
  double authority_confidence_ = 0;
  std::string number_prefix_;  // capitals OCR glued in front of "Số:"
  double band_bottom_ = 0;
  double gutter_ = 0;
  std::vector<ocr::Word> words_;  // page 1, specks dropped
  std::vector<Segment> left_rows_, right_rows_;
  std::deque<Segment> glued_left_;  // left pieces of rows run across both columns
  bool is_letter_ = false;
  double letter_subject_bottom_ = 0;
  // Fields seen but not read with certainty, and why.
  std::map<std::string, std::string> doubts_;
  std::vector<std::string> date_candidates_;        // readings of a doubtful date line
  std::vector<std::string> dossier_date_readings_;  // of a doubtful dossier code's date
  std::vector<std::string> reread_dates_;           // the sure re-reading of a doubtful date line
  std::map<std::string, Found> fields_;
};

void add_review_reasons(Extraction& out) {
  std::vector<std::string> reasons;
  auto doubted = [&](const std::string& name) {
    return std::any_of(out.doubts.begin(), out.doubts.end(),
                       [&](const auto& d) { return d.first == name; });
  };
  for (const auto& [name, why] : out.doubts) reasons.push_back(name + " not read: " + why);
  // A letter (công văn) prints no title, only its "V/v …" subject (SPEC):
  // no doc_type is what it shows, not a field missed.
  const storage::Field* subject = out.field("subject");
  bool letter = subject && parse::AlignedText(subject->value).folded().rfind("v/v", 0) == 0;
  for (const auto& name : required_fields()) {
    if (letter && name == "doc_type") continue;
    const storage::Field* f = out.field(name);
    if (f == nullptr && doubted(name)) continue;
    if (f == nullptr) {
      reasons.push_back(name + " missing");
    } else if (f->confidence < kReviewThreshold) {
      reasons.push_back(name + " low confidence");
    }
  }
  out.review_reasons.insert(out.review_reasons.begin(), reasons.begin(), reasons.end());
}

}  // namespace

const storage::Field* Extraction::field(const std::string& name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const std::vector<std::string>& required_fields() {
  static const std::vector<std::string> names = {"doc_number", "issued_date", "doc_type",
                                                 "authority"};
  return names;
}

MetadataExtractor::MetadataExtractor(std::vector<storage::Unit> units)
    : resolver_(std::move(units)) {}

Extraction MetadataExtractor::assess(
    std::vector<storage::Field> fields, const std::string& station_unit,
    std::vector<std::pair<std::string, std::string>> doubts) const {
  Extraction out;
  out.fields = std::move(fields);
  for (auto& d : doubts) {
    if (out.field(d.first) == nullptr) out.doubts.push_back(std::move(d));
  }
  auto value = [&](const char* name) {
    const storage::Field* f = out.field(name);
    return f ? f->value : std::string();
  };
  const storage::Field* date = out.field("issued_date");
  resolve_issuer(resolver_, value("authority"), value("place"), value("issued_date"),
                 date ? date->confidence : 0, station_unit, out);
  if (out.issuer_unit.empty()) out.issuer_unit = station_unit;
  add_review_reasons(out);
  return out;
}

Extraction MetadataExtractor::extract(const std::vector<ocr::PageText>& pages,
                                      const std::string& station_unit) const {
  Extraction out;
  DocumentReader reader(pages, resolver_);
  reader.read(out, station_unit);
  if (out.issuer_unit.empty()) out.issuer_unit = station_unit;
  add_review_reasons(out);
  return out;
}

}  // namespace sohoa::metadata
