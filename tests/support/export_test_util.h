// Shared by the export tests: character error rate and small tool helpers.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "text/vntext.h"

namespace sohoa::export_test {

// Debian's tools (poppler-utils, qpdf, libxml2-utils); run() wants a path.
inline std::string tool(const std::string& name) { return "/usr/bin/" + name; }

// Code points of UTF-8 text (valid input assumed: it comes from sohoa or poppler).
inline std::u32string code_points(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out += cp;
    i += len;
  }
  return out;
}

// Levenshtein distance over code points divided by the reference length,
// after folding every run of white space to one space (layout may differ).
inline double cer(const std::string& reference, const std::string& hypothesis) {
  std::u32string r = code_points(text::nfc(text::collapse_spaces(reference)));
  std::u32string h = code_points(text::nfc(text::collapse_spaces(hypothesis)));
  if (r.empty()) return h.empty() ? 0.0 : 1.0;
  std::vector<size_t> prev(h.size() + 1), cur(h.size() + 1);
  for (size_t j = 0; j <= h.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= r.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= h.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r[i - 1] != h[j - 1])});
    }
    std::swap(prev, cur);
  }
  return static_cast<double>(prev[h.size()]) / r.size();
}

}  // namespace sohoa::export_test
