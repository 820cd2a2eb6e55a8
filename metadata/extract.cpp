#include "metadata/extract.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "metadata/parsers.h"
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

  int left() const { return box.x; }
  int right() const { return box.x + box.w; }
  int top() const { return box.y; }
  int bottom() const { return box.y + box.h; }
  double centre() const { return box.x + box.w / 2.0; }
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

void add_segment(std::vector<Segment>& out, int page, const std::vector<ocr::Word>& words,
                 std::size_t from, std::size_t to) {
  Segment s;
  s.page = page;
  s.box = words[from].box;
  double confidence = 0;
  for (std::size_t i = from; i < to; ++i) {
    s.text += (i > from ? " " : "") + words[i].text;
    s.box = unite(s.box, words[i].box);
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
  s.text = trim_specks(parse::clean(s.text));
  s.confidence = confidence / static_cast<double>(to - from) / 100.0;
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
    if (!t.empty()) out.push_back({page, t, line.box, 1.0, 1.0});
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
        a.box = unite(a.box, b.box);
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
  return titles;
}

const std::vector<std::string>& known_roles() {
  static const std::vector<std::string> roles = {"CHỦ TỊCH",
                                                 "PHÓ CHỦ TỊCH",
                                                 "TRƯỞNG PHÒNG",
                                                 "PHÓ TRƯỞNG PHÒNG",
                                                 "GIÁM ĐỐC",
                                                 "PHÓ GIÁM ĐỐC",
                                                 "CHÁNH VĂN PHÒNG",
                                                 "PHÓ CHÁNH VĂN PHÒNG",
                                                 "TRƯỞNG BAN",
                                                 "PHÓ TRƯỞNG BAN",
                                                 "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH",
                                                 "BÍ THƯ",
                                                 "TRƯỞNG CÔNG AN"};
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
      : resolver_(resolver) {
    for (std::size_t p = 0; p < pages.size(); ++p) {
      auto segs = segments_of(pages[p], static_cast<int>(p));
      geometry_.push_back(geometry_of(pages[p], segs));
      pages_.push_back(std::move(segs));
    }
  }

  void read(Extraction& out, const std::string& station_unit) {
    if (pages_.empty()) return;
    read_dossier_code();  // first: its date may complete a damaged date line
    read_header();
    read_title();
    read_signer();
    read_citizen_ids();
    corroborate_date();
    resolve_unit(out, station_unit);
    emit(out);
  }

 private:
  const std::vector<Segment>& first() const { return pages_.front(); }
  const PageGeometry& first_geometry() const { return geometry_.front(); }

  void read_header() {
    const PageGeometry& g = first_geometry();
    for (const auto& s : first()) {
      if (s.top() > 0.45 * g.height) break;
      if (!number_segment_ && s.centre() < 0.55 * g.width) {
        if (auto n = parse::doc_number(s.text)) {
          number_segment_ = &s;
          fields_["doc_number"] = {n->value,
                                   std::min(s.confidence, s.digit_confidence) * n->quality};
        }
      }
      if (!date_segment_ && s.centre() > 0.55 * g.width) read_date_at(s, true);
    }
    if (!date_segment_ && number_segment_) read_date_beside_number();
    if (!date_segment_) read_date_anywhere();
    if (!fields_.count("place")) read_place_of_damaged_date();
    read_authority();
  }

  // `header`: in the right column under the motto, where Decree 30 puts it;
  // elsewhere the line must read "PLACE, ngày …".
  bool read_date_at(const Segment& s, bool header) {
    std::optional<parse::DateLine> d = parse::date_line(s.text);
    double confidence = std::min(s.confidence, s.digit_confidence);
    if (!d && parse::starts_date(s.text)) {
      // A date split across lines.
      if (const Segment* next = next_below(pages_[s.page], s)) {
        d = parse::date_line(s.text + " " + next->text);
        confidence = std::min({confidence, next->confidence, next->digit_confidence});
      }
    }
    if (!d) d = completed_date(s.text);
    if (!d) return false;
    std::size_t place_words = std::count(d->place.begin(), d->place.end(), ' ') + 1;
    if (!header && (place_words > 5 || d->place.empty())) return false;
    if (place_words > 4) d->place = last_words(d->place, 4);
    date_segment_ = &s;
    fields_["issued_date"] = {d->iso, confidence * d->quality};
    if (!d->place.empty()) {
      std::string canonical = resolver_.canonical_place(d->place);
      fields_["place"] = {canonical.empty() ? d->place : canonical,
                          confidence * (canonical.empty() ? 0.8 : 1.0)};
    }
    return true;
  }

  // A date line with one unreadable component, completed by the one other
  // date of the document that agrees with the rest.
  std::optional<parse::DateLine> completed_date(const std::string& line) const {
    std::optional<parse::PartialDate> partial = parse::partial_date_line(line);
    if (!partial) return std::nullopt;
    for (const auto& other : corroborating_dates()) {
      if (parse::agrees(*partial, other)) return parse::DateLine{partial->place, other, 0.6};
    }
    return std::nullopt;
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
      if (s.centre() < 0.47 * g.width && has_letters(s.text) && parse::is_capitals(s.text)) {
        lines.push_back(&s);
      }
    }
    lines = without_parent_line(lines);
    if (lines.empty()) return;
    authority_read_ = join_texts(lines);
    authority_confidence_ = mean_confidence(lines);
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

  double header_bottom() const {
    double bottom = 0;
    for (const Segment* s : {number_segment_, date_segment_}) {
      if (s && s->page == 0) bottom = std::max(bottom, static_cast<double>(s->bottom()));
    }
    if (bottom == 0) bottom = 0.18 * first_geometry().height;
    return bottom;
  }

  void read_title() {
    const PageGeometry& g = first_geometry();
    double below = header_bottom();
    const auto& segs = first();
    std::size_t i = 0;
    for (; i < segs.size(); ++i) {
      const Segment& s = segs[i];
      if (s.top() <= below - s.height() / 2) continue;
      if (s.centre() > 0.3 * g.width && s.centre() < 0.72 * g.width && has_letters(s.text) &&
          parse::is_capitals(s.text)) {
        break;
      }
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
    fields_["doc_type"] = {known.value_or(read), mean_confidence(title) * (known ? 1.0 : 0.8)};
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
    if (!subject.empty()) fields_["subject"] = {join_texts(subject), mean_confidence(subject)};
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
  // TỊCH"), the signature, then the name.
  void read_signer() {
    for (std::size_t p = pages_.size(); p-- > 0;) {
      const auto& segs = pages_[p];
      const PageGeometry& g = geometry_[p];
      auto in_column = [&](const Segment& s) { return s.centre() > 0.58 * g.width; };
      const Segment* name = nullptr;
      for (const auto& s : segs) {
        if (in_column(s) && parse::looks_like_person_name(s.text)) name = &s;
      }
      const Segment* role = nullptr;
      bool block_above_name = false;
      for (const auto& s : segs) {
        if (!in_column(s) || !parse::is_capitals(s.text) || !has_letters(s.text)) continue;
        if (name && (s.top() >= name->top() || name->top() - s.bottom() > 8 * s.height())) continue;
        if (!name && !is_role_line(s)) continue;
        block_above_name = true;
        // "TM. ỦY BAN NHÂN DÂN" names the body signed for, not a role.
        if (starts_with(folded(s.text), "tm") && parse::has_signing_prefix(s.text)) continue;
        role = &s;
      }
      if (!block_above_name) continue;
      if (role) {
        std::string role_text = parse::strip_signing_prefix(role->text);
        std::optional<std::string> known = closest(known_roles(), role_text, 4);
        fields_["signer_role"] = {known.value_or(role_text), role->confidence * (known ? 1 : 0.8)};
      }
      if (name) fields_["signer"] = {name->text, name->confidence};
      return;
    }
  }

  void read_citizen_ids() {
    std::vector<std::string> ids;
    double confidence = 1.0;
    for (const auto& segs : pages_) {
      for (std::size_t i = 0; i < segs.size(); ++i) {
        if (!parse::mentions_citizen_id(segs[i].text)) continue;
        // The number may follow on the next line, or two pieces later when
        // a skewed line was read in fragments.
        std::string next;
        for (std::size_t k = i + 1; k < segs.size() && k <= i + 2; ++k) next += segs[k].text + " ";
        for (const auto& id : parse::citizen_ids(segs[i].text, next)) {
          if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
          confidence = std::min(confidence, segs[i].confidence);
        }
      }
    }
    if (!ids.empty()) fields_["citizen_ids"] = {nlohmann::json(ids).dump(), confidence};
  }

  void read_dossier_code() {
    for (const auto& segs : pages_) {
      for (const auto& s : segs) {
        if (auto code = parse::dossier_code(s.text)) {
          fields_["dossier_code"] = {code->value, s.confidence * code->quality};
          return;
        }
      }
    }
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

  // A doubtfully read issue date (a digit misread, or none) that agrees in
  // two of day, month and year with a date printed elsewhere is that date.
  void corroborate_date() {
    auto it = fields_.find("issued_date");
    if (it != fields_.end() && it->second.confidence >= 0.6) return;
    std::vector<std::string> others = corroborating_dates();
    if (others.empty()) return;
    if (it == fields_.end()) {
      fields_["issued_date"] = {others.front(), 0.4};  // not printed as such: a person checks
      return;
    }
    const std::string& read = it->second.value;  // YYYY-MM-DD
    for (const auto& other : others) {
      int agree = (read.substr(0, 4) == other.substr(0, 4)) +
                  (read.substr(5, 2) == other.substr(5, 2)) +
                  (read.substr(8, 2) == other.substr(8, 2));
      if (agree == 3) {
        it->second.confidence = std::max(it->second.confidence, 0.8);
        return;
      }
      if (agree == 2) {
        it->second = {other, 0.6};
        return;
      }
    }
  }

  void resolve_unit(Extraction& out, const std::string& station_unit) {
    Found date = fields_.count("issued_date") ? fields_["issued_date"] : Found{};
    std::string place = fields_.count("place") ? fields_["place"].value : "";
    UnitMatch m = resolve_issuer(resolver_, authority_read_, place, date.value, date.confidence,
                                 station_unit, out);
    if (!authority_read_.empty()) {
      bool canonical = !m.canonical_authority.empty();
      fields_["authority"] = {
          canonical ? m.canonical_authority : authority_read_,
          canonical ? std::max(authority_confidence_, 0.9) : authority_confidence_ * 0.8};
    }
  }

  void emit(Extraction& out) {
    for (const auto& name : storage::metadata_field_names()) {
      auto it = fields_.find(name);
      if (it == fields_.end()) continue;
      double c = std::clamp(it->second.confidence, 0.0, kMaxExtractedConfidence);
      out.fields.push_back({name, it->second.value, std::round(c * 1000) / 1000});
    }
  }

  const UnitResolver& resolver_;
  std::vector<std::vector<Segment>> pages_;
  std::vector<PageGeometry> geometry_;
  const Segment* number_segment_ = nullptr;
  const Segment* date_segment_ = nullptr;
  std::string authority_read_;
  double authority_confidence_ = 0;
  std::map<std::string, Found> fields_;
};

void add_review_reasons(Extraction& out) {
  std::vector<std::string> reasons;
  for (const auto& name : required_fields()) {
    const storage::Field* f = out.field(name);
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

Extraction MetadataExtractor::assess(std::vector<storage::Field> fields,
                                     const std::string& station_unit) const {
  Extraction out;
  out.fields = std::move(fields);
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
