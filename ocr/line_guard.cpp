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

LineGuardStats guard_lines(PageText& text, const cv::Mat& grey, int dpi, LineReader& reader,
                           const LineGuardOptions& options) {
  LineGuardStats stats;
  if (grey.empty()) return stats;
  for (Block& block : text.blocks) {
    for (Line& line : block.lines) {
      const float sure = line_confidence(line);
      if (line.words.empty() || sure >= options.unsure_below) continue;
      ++stats.lines_read;
      Line again = reader.read(grey, line.box, dpi, options.scale);
      if (again.words.empty()) continue;
      const int chars = line_chars(line);
      // A reading that lost words (a number, a field) is not a better one.
      const int again_chars = line_chars(again);
      if (again_chars * 20 < chars * 17 || again_chars * 2 > chars * 3) continue;
      if (line_confidence(again) < sure + options.gain) continue;
      // One surer reading is no confirmation of digits (a 9 read as 0 at
      // 0.79 on held-out h2-0009): a number's word keeps the doubt of the
      // first reading, for the field re-reads to settle.
      for (Word& w : again.words) {
        if (has_digit(w.text)) w.confidence = std::min(w.confidence, sure);
      }
      line.words = std::move(again.words);
      line.text = std::move(again.text);
      ++stats.lines_taken;
    }
  }
  if (stats.lines_taken > 0) finish_page(text);
  return stats;
}

}  // namespace sohoa::ocr
