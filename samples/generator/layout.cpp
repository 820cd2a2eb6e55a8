#include "samples/generator/layout.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <stdexcept>

#include "text/vntext.h"

namespace sohoa::samples {
namespace {

using vips::VImage;

// Margins of Decree 30 (left 30 mm, right 15-20 mm, top and bottom 20 mm).
constexpr int kLeft = 354;
constexpr int kRight = 2280;
constexpr int kTop = 210;
constexpr int kBottom = 3508 - 236;
constexpr int kRightColumnCentre = 1740;
constexpr int kBodyCentre = (kLeft + kRight) / 2;
constexpr int kIndent = 118;  // 1 cm first-line indent
constexpr int kParagraphGap = 12;

int line_step(int size_pt) { return size_pt * kRenderDpi / 72 * 3 / 2; }

std::string escape_markup(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string markup(const std::string& text, Style style) {
  std::string t = escape_markup(text);
  switch (style) {
    case Style::kBold:
      return "<b>" + t + "</b>";
    case Style::kItalic:
      return "<i>" + t + "</i>";
    case Style::kBoldItalic:
      return "<b><i>" + t + "</i></b>";
    case Style::kRegular:
      break;
  }
  return t;
}

// A rendered line: its ink, and where the ink sits relative to the line's
// layout origin (so lines share a baseline whatever their letters).
struct Ink {
  VImage mask;
  int dx = 0;
  int dy = 0;
  int right() const { return dx + mask.width(); }
};

class Typesetter {
 public:
  explicit Typesetter(std::string family) : family_(std::move(family)) {}

  // `family`: another font than the document's (a hand's), when not empty.
  const Ink& render(const std::string& text, Style style, int size_pt,
                    const std::string& family = {}) {
    std::string font = (family.empty() ? family_ : family) + " " + std::to_string(size_pt);
    VImage mask = VImage::text(markup(text, style).c_str(),
                               VImage::option()->set("font", font.c_str())->set("dpi", kRenderDpi));
    store_.push_back({mask, mask.xoffset(), mask.yoffset()});
    return store_.back();
  }

  // Width per code point of ordinary text, to guess where to break lines.
  double char_width(Style style, int size_pt) {
    auto key = std::make_pair(static_cast<int>(style), size_pt);
    auto it = widths_.find(key);
    if (it != widths_.end()) return it->second;
    const std::string sample =
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015";
    double w = static_cast<double>(render(sample, style, size_pt).right()) /
               static_cast<double>(text::length(sample));
    store_.pop_back();
    return widths_[key] = w;
  }

 private:
  std::string family_;
  std::deque<Ink> store_;  // stable addresses
  std::map<std::pair<int, int>, double> widths_;
};

struct PlacedLine {
  const Ink* ink;
  int x, y;  // layout origin
  std::string text;
};

struct Rule {
  int x, y, width, thickness;
};

struct PagePlan {
  std::vector<PlacedLine> lines;
  std::vector<Rule> rules;
  // The origin of the last role line above the signature, on the page that
  // holds the signer block.
  std::optional<std::pair<int, int>> last_role;
};

// A paragraph broken into rendered lines that each fit the width.
struct SetParagraph {
  std::vector<std::pair<const Ink*, std::string>> lines;
  Align align;
  bool indent;
  int step;
};

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

std::string join_words(const std::vector<std::string>& words, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out += (i > from ? " " : "") + words[i];
  return out;
}

// Greedy line breaking: guess from the average glyph width, then render and
// give words back until the line really fits.
SetParagraph set_paragraph(Typesetter& ts, const Paragraph& p, int width) {
  SetParagraph out{{}, p.align, p.indent && p.align == Align::kLeft, line_step(p.size_pt)};
  auto words = split_words(p.text);
  double cw = ts.char_width(p.style, p.size_pt);
  std::size_t first = 0;
  while (first < words.size()) {
    int avail = width - (out.lines.empty() && out.indent ? kIndent : 0);
    std::size_t last = first + 1;
    std::size_t chars = text::length(words[first]);
    while (last < words.size()) {
      std::size_t more = chars + 1 + text::length(words[last]);
      if (static_cast<double>(more) * cw > avail * 0.97) break;
      chars = more;
      ++last;
    }
    for (;;) {
      std::string line = join_words(words, first, last);
      const Ink& ink = ts.render(line, p.style, p.size_pt);
      if (ink.right() <= avail || last == first + 1) {
        out.lines.push_back({&ink, line});
        break;
      }
      --last;
    }
    first = last;
  }
  return out;
}

class PageBuilder {
 public:
  PageBuilder(Typesetter& ts, bool numbered) : ts_(ts), numbered_(numbered) {
    pages_.emplace_back();
  }

  int y = kTop;
  std::vector<PagePlan>& pages() { return pages_; }
  PagePlan& current() { return pages_.back(); }

  void place(const Ink& ink, const std::string& text, int x) {
    pages_.back().lines.push_back({&ink, x, y, text});
  }
  void place_centred(const Ink& ink, const std::string& text, int centre) {
    place(ink, text, centre - ink.mask.width() / 2 - ink.dx);
  }
  const Ink& line_centred(const std::string& text, Style style, int size, int centre) {
    const Ink& ink = ts_.render(text, style, size);
    place_centred(ink, text, centre);
    y += line_step(size);
    return ink;
  }
  void rule(int centre, int width) {
    pages_.back().rules.push_back({centre - width / 2, y + 2, width, 4});
    y += 10;
  }

  void ensure_room(int height) {
    if (y + height <= kBottom) return;
    pages_.emplace_back();
    y = kTop;
    if (numbered_) {
      std::string number = std::to_string(pages_.size());
      const Ink& ink = ts_.render(number, Style::kRegular, 13);
      int saved = y;
      y = kTop - 80;
      place_centred(ink, number, kBodyCentre);
      y = saved + line_step(13);
    }
  }

  void paragraph(const SetParagraph& p) {
    for (std::size_t i = 0; i < p.lines.size(); ++i) {
      ensure_room(p.step);
      const auto& [ink, text] = p.lines[i];
      if (p.align == Align::kCentre)
        place_centred(*ink, text, kBodyCentre);
      else
        place(*ink, text, kLeft + (i == 0 && p.indent ? kIndent : 0));
      y += p.step;
    }
    y += kParagraphGap;
  }

 private:
  Typesetter& ts_;
  bool numbered_;
  std::vector<PagePlan> pages_;
};

// A 13 pt line centred on `centre`; `hand`, when not empty, is its first
// word equal to it (digits), written by hand: a pen's script (TeX Gyre
// Chorus, from fonts-texgyre like the print), larger and above the printed
// baseline, as a clerk fills in a blank.
void place_filled(PageBuilder& b, Typesetter& ts, const std::string& line, const std::string& hand,
                  Style style, int centre) {
  std::size_t at = hand.empty() ? std::string::npos : line.find(" " + hand);
  if (at == std::string::npos) {
    b.place_centred(ts.render(line, style, 13), line, centre);
    return;
  }
  std::string before = line.substr(0, at + 1), after = line.substr(at + 1 + hand.size());
  const Ink& a = ts.render(before, style, 13);
  const Ink& h = ts.render(hand, Style::kBold, 22, "TeX Gyre Chorus");
  const Ink* c = after.empty() ? nullptr : &ts.render(after, style, 13);
  int gap = 14;
  int width = a.right() + gap + h.right() + gap + (c ? c->right() : 0);
  int x = centre - width / 2;
  b.place(a, before, x);
  int saved = b.y;
  b.y -= 18;
  b.place(h, hand, x + a.right() + gap);
  b.y = saved;
  if (c) b.place(*c, after, x + a.right() + gap + h.right() + gap);
}

void lay_header(PageBuilder& b, Typesetter& ts, const Document& doc) {
  const int small = 12;
  // Left column: parent body, issuing body, rule, number.
  b.y = kTop;
  if (doc.parent_line) b.line_centred(*doc.parent_line, Style::kRegular, small, doc.left_centre);
  const Ink* widest = nullptr;
  for (const auto& line : doc.authority_lines) {
    const Ink& ink = b.line_centred(line, Style::kBold, small, doc.left_centre);
    if (widest == nullptr || ink.mask.width() > widest->mask.width()) widest = &ink;
  }
  b.rule(doc.left_centre, widest->mask.width() * 2 / 5);
  int left_end = b.y + 24;

  // Right column: national name, motto, rule, place and date.
  b.y = kTop;
  b.line_centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Style::kBold, small, doc.right_centre);
  const Ink& motto =
      b.line_centred("Độc lập - Tự do - Hạnh phúc", Style::kBold, 13, doc.right_centre);
  b.rule(doc.right_centre, motto.mask.width());
  int right_end = b.y + 24;

  // "Số:" and the date share a line, under the taller column.
  b.y = std::max(left_end, right_end);
  place_filled(b, ts, doc.number_line, doc.hand_number, Style::kRegular, doc.left_centre);
  place_filled(b, ts, doc.date_line, doc.hand_day, Style::kItalic, doc.right_centre);
  b.y += line_step(13) * 2;
  if (doc.urgency_line) {
    b.line_centred(*doc.urgency_line, Style::kBold, 14, doc.left_centre);
    b.y += line_step(13);
  }
  if (!doc.letter_lines.empty()) {
    b.y -= line_step(13);
    for (const auto& line : doc.letter_lines)
      b.line_centred(line, Style::kRegular, 12, doc.left_centre);
    b.y += line_step(13);
  }
}

// Reading order puts the number line with the left column, before the right column.
std::vector<std::string> header_reading_order(const Document& doc) {
  std::vector<std::string> lines;
  if (doc.parent_line) lines.push_back(*doc.parent_line);
  for (const auto& l : doc.authority_lines) lines.push_back(l);
  lines.push_back(doc.number_line);
  if (doc.urgency_line) lines.push_back(*doc.urgency_line);
  for (const auto& l : doc.letter_lines) lines.push_back(l);
  lines.push_back("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  lines.push_back("Độc lập - Tự do - Hạnh phúc");
  lines.push_back(doc.date_line);
  return lines;
}

struct FooterLines {
  std::vector<std::pair<const Ink*, std::string>> left, right;
  int signature_gap = 0;
  int height = 0;
};

FooterLines set_footer(Typesetter& ts, const Document& doc) {
  FooterLines f;
  f.left.push_back({&ts.render("Nơi nhận:", Style::kBoldItalic, 12), "Nơi nhận:"});
  for (const auto& r : doc.recipients) f.left.push_back({&ts.render(r, Style::kRegular, 11), r});
  for (const auto& r : doc.signer_roles) f.right.push_back({&ts.render(r, Style::kBold, 13), r});
  f.right.push_back({&ts.render(doc.signer_name, Style::kBold, 13), doc.signer_name});
  f.signature_gap = line_step(13) * 3;
  int right_height = static_cast<int>(f.right.size()) * line_step(13) + f.signature_gap;
  int left_height = line_step(12) + static_cast<int>(doc.recipients.size()) * line_step(11);
  f.height = std::max(right_height, left_height);
  return f;
}

void lay_footer(PageBuilder& b, const FooterLines& f) {
  b.y += line_step(13) / 2;
  b.ensure_room(f.height);
  int top = b.y;
  for (std::size_t i = 0; i < f.left.size(); ++i) {
    b.place(*f.left[i].first, f.left[i].second, kLeft - 120);
    b.y += line_step(i == 0 ? 12 : 11);
  }
  int left_bottom = b.y;
  b.y = top;
  for (std::size_t i = 0; i < f.right.size(); ++i) {
    if (i + 1 == f.right.size()) b.y += f.signature_gap;
    if (i + 2 == f.right.size()) b.current().last_role = {kRightColumnCentre, b.y};
    b.place_centred(*f.right[i].first, f.right[i].second, kRightColumnCentre);
    b.y += line_step(13);
  }
  b.y = std::max(b.y, left_bottom);
}

// Decree 30's copy form: under a rule across the text width, the copying
// body and its number on the left, the mark and the date on the right, then
// the copy's signer block on the right.
void lay_copy(PageBuilder& b, Typesetter& ts, const CopyBlock& c) {
  const int small = 12;
  int rows = std::max(static_cast<int>(c.body_lines.size()), 1) + 2;
  int height = 30 + rows * line_step(13) + static_cast<int>(c.roles.size() + 1) * line_step(13) +
               line_step(13) * 3;
  b.y += line_step(13) / 2;
  b.ensure_room(height);
  b.current().rules.push_back({kLeft, b.y, kRight - kLeft, 3});
  b.y += 30 + line_step(13) / 2;
  int top = b.y;
  const int left_centre = 740;
  for (std::size_t i = 0; i < c.body_lines.size(); ++i) {
    Style style = i + 1 == c.body_lines.size() ? Style::kBold : Style::kRegular;
    b.line_centred(c.body_lines[i], style, small, left_centre);
  }
  b.y += 10;
  int number_y = b.y;
  b.place_centred(ts.render(c.number_line, Style::kRegular, 13), c.number_line, left_centre);
  b.y = top;
  b.line_centred(c.mark, Style::kBold, 14, kRightColumnCentre);
  b.y = std::max(b.y, number_y);
  b.place_centred(ts.render(c.date_line, Style::kItalic, 13), c.date_line, kRightColumnCentre);
  b.y += line_step(13) * 2;
  for (const auto& r : c.roles) b.line_centred(r, Style::kBold, 13, kRightColumnCentre);
  b.y += line_step(13) * 2;
  b.line_centred(c.signer, Style::kBold, 13, kRightColumnCentre);
}

std::vector<PagePlan> plan_pages(Typesetter& ts, const Document& doc,
                                 const std::vector<SetParagraph>& body, const FooterLines& footer,
                                 const std::vector<SetParagraph>& heading) {
  PageBuilder b(ts, doc.numbered_pages);
  lay_header(b, ts, doc);
  for (const auto& p : heading) b.paragraph(p);
  b.y += line_step(13) / 2;
  for (const auto& p : body) b.paragraph(p);
  lay_footer(b, footer);
  if (doc.copy) lay_copy(b, ts, *doc.copy);
  return std::move(b.pages());
}

std::vector<std::string> page_text(const PagePlan& plan, const Document& doc, bool first) {
  std::vector<std::string> lines;
  std::size_t skip = 0;
  if (first) {
    lines = header_reading_order(doc);
    skip = lines.size();
  }
  // Placement order is reading order for everything after the header, except
  // that the footer's two columns are placed left first, then right.
  for (std::size_t i = skip; i < plan.lines.size(); ++i) lines.push_back(plan.lines[i].text);
  return lines;
}

VImage compose(const PagePlan& plan) {
  VImage ink = VImage::black(kPageWidth, kPageHeight).cast(VIPS_FORMAT_UCHAR).copy_memory();
  for (const auto& line : plan.lines) {
    ink.draw_image(line.ink->mask, line.x + line.ink->dx, line.y + line.ink->dy,
                   VImage::option()->set("mode", VIPS_COMBINE_MODE_ADD));
  }
  for (const auto& r : plan.rules)
    ink.draw_rect({255}, r.x, r.y, r.width, r.thickness, VImage::option()->set("fill", true));
  return ink.invert();
}

std::vector<std::string> code_points(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// The seal's ink on a page-sized mask (255 = full seal colour): two rings,
// the body's name in capitals around the ring between them, a star in the
// middle. Pens are not even: the mask is drawn at 85%.
VImage seal_ink(const Seal& seal, int cx, int cy) {
  VImage ink = VImage::black(kPageWidth, kPageHeight).cast(VIPS_FORMAT_UCHAR).copy_memory();
  const int r = seal.radius;
  ink.draw_circle({217}, cx, cy, r, VImage::option()->set("fill", true));
  ink.draw_circle({0}, cx, cy, r - 9, VImage::option()->set("fill", true));
  ink.draw_circle({217}, cx, cy, r - 62, VImage::option()->set("fill", true));
  ink.draw_circle({0}, cx, cy, r - 66, VImage::option()->set("fill", true));
  auto letters = code_points(seal.text + " ★ ");
  const double text_r = r - 36;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    if (letters[i] == " ") continue;
    double deg = seal.turn_deg + 360.0 * static_cast<double>(i) / letters.size();
    VImage glyph =
        VImage::text(("<b>" + escape_markup(letters[i]) + "</b>").c_str(),
                     VImage::option()->set("font", "DejaVu Sans 9")->set("dpi", kRenderDpi));
    // vips turns clockwise: a letter at `deg` clockwise from the top is
    // upright to the ring.
    glyph = glyph.rotate(deg, VImage::option()->set("background", std::vector<double>{0}));
    double a = deg * M_PI / 180.0;
    int x = cx + static_cast<int>(std::lround(text_r * std::sin(a))) - glyph.width() / 2;
    int y = cy - static_cast<int>(std::lround(text_r * std::cos(a))) - glyph.height() / 2;
    ink.draw_image((glyph * 0.85).cast(VIPS_FORMAT_UCHAR), x, y,
                   VImage::option()->set("mode", VIPS_COMBINE_MODE_ADD));
  }
  VImage star =
      VImage::text("★", VImage::option()->set("font", "DejaVu Sans 28")->set("dpi", kRenderDpi));
  ink.draw_image((star * 0.85).cast(VIPS_FORMAT_UCHAR), cx - star.width() / 2,
                 cy - star.height() / 2, VImage::option()->set("mode", VIPS_COMBINE_MODE_ADD));
  return ink;
}

}  // namespace

const std::vector<std::string>& font_families() {
  static const std::vector<std::string> families = {"DejaVu Serif", "FreeSerif", "TeX Gyre Termes"};
  return families;
}

std::vector<RenderedPage> render_document(const Document& doc, const std::string& font_family) {
  Typesetter ts(font_family);
  const int width = kRight - kLeft;
  std::vector<SetParagraph> heading;
  for (const auto& t : doc.title_lines)
    heading.push_back(set_paragraph(ts, {t, Style::kBold, Align::kCentre, 14, false}, width));
  if (doc.subject) heading.push_back(set_paragraph(ts, *doc.subject, width * 4 / 5));

  std::vector<SetParagraph> body;
  for (const auto& p : doc.body) body.push_back(set_paragraph(ts, p, width));
  FooterLines footer = set_footer(ts, doc);

  auto plans = plan_pages(ts, doc, body, footer, heading);
  // Longer documents: more text before the closing paragraph until the
  // wanted page count is reached.
  for (std::size_t next = 0;
       static_cast<int>(plans.size()) < doc.wanted_pages && next < doc.filler.size(); ++next) {
    body.insert(body.end() - 1, set_paragraph(ts, doc.filler[next], width));
    plans = plan_pages(ts, doc, body, footer, heading);
  }

  std::vector<RenderedPage> pages;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    RenderedPage page;
    page.image = compose(plans[i]);
    page.lines = page_text(plans[i], doc, i == 0);
    if (doc.seal && plans[i].last_role) {
      page.seal_x = plans[i].last_role->first + doc.seal->dx;
      page.seal_y = plans[i].last_role->second + doc.seal->dy;
      page.seal_radius = doc.seal->radius;
      page.seal = seal_ink(*doc.seal, page.seal_x, page.seal_y);
    }
    pages.push_back(std::move(page));
  }
  return pages;
}

}  // namespace sohoa::samples
