#include "metadata/reread.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "metadata/parsers.h"

namespace sohoa::metadata {
namespace {

bool has_digit(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string folded(const std::string& s) { return parse::AlignedText(s).folded(); }

// A speck or rule read as a word: no letter or digit in it.
bool is_mark(const ocr::Word& w) {
  std::string f = folded(w.text);
  return std::none_of(f.begin(), f.end(),
                      [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

ocr::Box unite(const ocr::Box& a, const ocr::Box& b) {
  int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  int x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

using Run = std::vector<const ocr::Word*>;

// The line's words cut where a gap is wider than one and a half word
// heights: the header's two columns, read as one line, come apart.
std::vector<Run> runs_of(const ocr::Line& line) {
  Run words;
  std::vector<int> heights;
  for (const auto& w : line.words) {
    if (is_mark(w)) continue;
    words.push_back(&w);
    heights.push_back(w.box.h);
  }
  if (words.empty()) return {};
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  int h = std::max(1, heights[heights.size() / 2]);
  std::vector<Run> runs(1);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && words[i]->box.x - (words[i - 1]->box.x + words[i - 1]->box.w) > 3 * h / 2) {
      runs.emplace_back();
    }
    runs.back().push_back(words[i]);
  }
  return runs;
}

std::string text_of(const Run& run, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < run.size(); ++i) out += (out.empty() ? "" : " ") + run[i]->text;
  return out;
}

ocr::Box box_of(const Run& run, std::size_t from, std::size_t to) {
  ocr::Box b = run[from]->box;
  for (std::size_t i = from + 1; i < to; ++i) b = unite(b, run[i]->box);
  return b;
}

// A word holding a digit read under kRereadBelow.
bool unsure(const Run& run, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to; ++i) {
    if (has_digit(run[i]->text) && run[i]->confidence < kRereadBelow) return true;
  }
  return false;
}

struct Slot {
  std::size_t from = 0, to = 0;  // the slot's words in the run
  bool doubtful = false;         // its parser found no value, or a doubt
};

// "Số: 617/TB-UBND" opening the run, or after capitals OCR glued on; the
// number holds a slash ("số 793, tờ bản đồ số 32" is a land parcel) or is
// a registration number ("Số: 45A8610481").
std::optional<Slot> number_slot(const Run& run) {
  for (std::size_t i = 0; i < run.size() && i < 12; ++i) {
    std::string f = folded(run[i]->text);
    if (f.rfind("so", 0) != 0 || (f.size() > 2 && f.find_first_of(":.;-0123456789") != 2)) continue;
    // Capitals OCR glued on may stand before it, not a sentence ("Căn cứ
    // Nghị định số 30/2020/NĐ-CP" cites another document).
    std::string before = text_of(Run(run.begin(), run.begin() + i));
    if (i > 0 && !parse::is_capitals(before)) return std::nullopt;
    std::string glued = f.substr(2);
    std::string next = i + 1 < run.size() ? folded(run[i + 1]->text) : "";
    // Or a registration number of six characters or more opening with a
    // digit ("45A8610481", a household business's).
    std::string after = glued.size() > 1 ? glued.substr(1) : next;
    bool registration = after.size() >= 6 && std::isdigit(static_cast<unsigned char>(after[0]));
    if (glued.find('/') == std::string::npos && next.find('/') == std::string::npos &&
        !registration) {
      continue;
    }
    auto n = parse::doc_number(text_of(run, i));
    return Slot{i, run.size(), !n || !n->doubt.empty()};
  }
  return std::nullopt;
}

std::optional<Slot> date_slot(const Run& run) {
  // Day, month and year as short tokens: not "Ngày, tháng, năm sinh:".
  static const std::regex date(
      R"(ngay\s*[^\s,;]{1,3}(\s+[^\s,;]{1,2})?\s*thang\s*[^\s,;]{1,3}(\s+[^\s,;]{1,2})?\s*nam\s*[^\s,;]{2,5})");
  std::string text = text_of(run);
  std::string f = folded(text);
  if (f.rfind("can cu", 0) == 0 || !std::regex_search(f, date)) return std::nullopt;
  auto d = parse::date_line(text);
  return Slot{0, run.size(), !d || !d->doubt.empty()};
}

std::optional<Slot> dossier_slot(const Run& run) {
  static const std::regex keyword(R"((^|[^a-z])ma\s*h[o0]\s*s[o0])");
  for (std::size_t i = 0; i < run.size(); ++i) {
    if (folded(run[i]->text) != "ma") continue;
    std::string rest = text_of(run, i);
    if (!std::regex_search(folded(rest), keyword)) continue;
    auto code = parse::dossier_code(rest);
    return Slot{i, run.size(), !code || !code->doubt.empty()};
  }
  return std::nullopt;
}

// The words holding the id's digits after the keyword: only they, so the
// re-read is the number alone.
std::optional<Slot> id_slot(const Run& run) {
  if (!parse::mentions_citizen_id(text_of(run))) return std::nullopt;
  for (std::size_t i = 0; i < run.size(); ++i) {
    const std::string& t = run[i]->text;
    auto digits = std::count_if(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits >= 6 && parse::mentions_citizen_id(text_of(Run(run.begin(), run.begin() + i + 1)))) {
      return Slot{i, i + 1, false};
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<ocr::Box> reread_regions(const ocr::PageText& page, std::size_t limit) {
  std::vector<ocr::Box> out;
  double height = page.height > 0 ? page.height : 3508;
  for (const auto& block : page.blocks) {
    for (const auto& line : block.lines) {
      for (const Run& run : runs_of(line)) {
        bool header = run.front()->box.y < 0.45 * height;
        std::optional<Slot> slot;
        if (header) slot = number_slot(run);
        if (!slot && header) slot = date_slot(run);
        if (!slot) slot = dossier_slot(run);
        if (!slot) slot = id_slot(run);
        if (!slot || !(slot->doubtful || unsure(run, slot->from, slot->to))) continue;
        out.push_back(box_of(run, slot->from, slot->to));
        if (out.size() >= limit) return out;
      }
    }
  }
  return out;
}

std::vector<const ocr::Reread*> rereads_over(const ocr::PageText& page, const ocr::Box& box) {
  std::vector<const ocr::Reread*> out;
  for (const auto& r : page.rereads) {
    int v = std::min(r.box.y + r.box.h, box.y + box.h) - std::max(r.box.y, box.y);
    int h = std::min(r.box.x + r.box.w, box.x + box.w) - std::max(r.box.x, box.x);
    if (v * 2 >= std::min(r.box.h, box.h) && h * 5 >= r.box.w * 3) out.push_back(&r);
  }
  return out;
}

std::optional<Vote> citizen_id_in(const std::string& reading) {
  std::vector<std::string> ids = parse::citizen_ids("CCCD: " + reading);
  if (ids.size() != 1) return std::nullopt;
  return Vote{ids.front(), false};
}

std::string unambiguous_digits(const std::string& text, bool* changed) {
  std::string out = text;
  *changed = false;
  auto digit = [&](std::size_t i) { return i < out.size() && out[i] >= '0' && out[i] <= '9'; };
  for (std::size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    char d = (c == 'I' || c == 'l' || c == '|' || c == '!') ? '1'
             : (c == 'O' || c == 'o')                       ? '0'
                                                            : 0;
    // Only beside a digit: "I8-2304" is 18, "Mã hồ sơ" stays.
    if (d == 0 || !(digit(i + 1) || (i > 0 && digit(i - 1)))) continue;
    out[i] = d;
    *changed = true;
  }
  return out;
}

double digit_confidence(const ocr::Line& line) {
  double lowest = 1.0;
  for (const auto& w : line.words) {
    if (has_digit(w.text)) lowest = std::min(lowest, w.confidence / 100.0);
  }
  return lowest;
}

}  // namespace sohoa::metadata
