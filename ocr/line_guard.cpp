#include "ocr/line_guard.h"

#include <algorithm>

#include "ocr/tesseract_reader.h"

namespace sohoa::ocr {
namespace {

int code_points(const std::string& s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool has_digit(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

int line_chars(const Line& line) {
  int n = 0;
  for (const Word& w : line.words) n += code_points(w.text);
  return n;
}

}  // namespace

float line_confidence(const Line& line) {
  double sum = 0;
  int chars = 0;
  for (const Word& w : line.words) {
    const int n = code_points(w.text);
    sum += static_cast<double>(w.confidence) * n;
    chars += n;
  }
  return chars == 0 ? 0.0f : static_cast<float>(sum / chars);
}

std::vector<UnsureLine> unsure_lines(PageText& text, float below) {
  std::vector<UnsureLine> unsure;
  for (Block& block : text.blocks) {
    for (Line& line : block.lines) {
      if (line.words.empty()) continue;
      const float sure = line_confidence(line);
      if (sure < below) unsure.push_back({&line, sure});
    }
  }
  return unsure;
}

namespace {

// Whether `again`, a re-reading of `line` (whose confidence is `sure`),
// replaces it.
bool better_reading(const Line& line, float sure, const Line& again,
                    const LineGuardOptions& options) {
  if (again.words.empty()) return false;
  const int chars = line_chars(line);
  // A reading that lost words (a number, a field) is not a better one.
  const int again_chars = line_chars(again);
  if (again_chars * 20 < chars * 17 || again_chars * 2 > chars * 3) return false;
  return line_confidence(again) >= sure + options.gain;
}

}  // namespace

LineGuardStats guard_lines(PageText& text, const cv::Mat& grey, int dpi, LineReader& reader,
                           const LineGuardOptions& options) {
  return guard_lines(text, unsure_lines(text, options.unsure_below), grey, dpi, reader, options);
}

LineGuardStats guard_lines(PageText& text, const std::vector<UnsureLine>& unsure,
                           const cv::Mat& grey, int dpi, LineReader& reader,
                           const LineGuardOptions& options) {
  LineGuardStats stats;
  if (grey.empty()) return stats;
  // The least sure first: they gain most from a second reading, so the
  // lines left when the page is given up are the surer ones.
  std::vector<UnsureLine> order = unsure;
  std::stable_sort(order.begin(), order.end(), [](const UnsureLine& a, const UnsureLine& b) {
    return a.confidence < b.confidence;
  });
  int missed = 0;  // re-reads in a row not taken
  for (const UnsureLine& u : order) {
    if (missed >= options.give_up_after) {
      stats.gave_up = true;
      break;
    }
    Line& line = *u.line;
    ++stats.lines_read;
    Line again = reader.read(grey, line.box, dpi, options.scale);
    if (!better_reading(line, u.confidence, again, options)) {
      ++missed;
      continue;
    }
    missed = 0;
    // One surer reading is no confirmation of digits (a 9 read as 0 at
    // 0.79 on held-out h2-0009): a number's word keeps the doubt of the
    // first reading, for the field re-reads to settle.
    for (Word& w : again.words) {
      if (has_digit(w.text)) w.confidence = std::min(w.confidence, u.confidence);
    }
    line.words = std::move(again.words);
    line.text = std::move(again.text);
    ++stats.lines_taken;
  }
  if (stats.lines_taken > 0) finish_page(text);
  return stats;
}

}  // namespace sohoa::ocr
