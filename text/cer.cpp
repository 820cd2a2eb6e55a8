#include "text/cer.h"

#include <unicode/unistr.h>

#include <algorithm>
#include <string>
#include <vector>

#include "text/vntext.h"

namespace sohoa::text {
namespace {

using Piece = std::u32string;

Piece code_points(std::string_view utf8) {
  std::string normal = nfc(utf8);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(normal);
  Piece out;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

std::vector<Piece> lines_of(std::string_view utf8) {
  std::vector<Piece> lines;
  std::size_t start = 0;
  while (start <= utf8.size()) {
    std::size_t end = utf8.find_first_of("\n\f\r", start);
    if (end == std::string_view::npos) end = utf8.size();
    std::string line = collapse_spaces(utf8.substr(start, end - start));
    if (!line.empty()) lines.push_back(code_points(line));
    start = end + 1;
  }
  return lines;
}

std::size_t levenshtein(const Piece& a, const Piece& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

struct Fit {
  std::size_t edits = 0;
  std::size_t from = 0;  // span of the longer piece that the shorter matched
  std::size_t to = 0;
};

// Aligns `shorter` inside `longer` with free leading and trailing parts of
// `longer`; returns the edits and the matched span.
Fit fit_inside(const Piece& shorter, const Piece& longer) {
  const std::size_t n = shorter.size(), m = longer.size();
  // cost[i][j]: edits of shorter[0,i) against a span of longer ending at j;
  // start[i][j]: where that span begins.
  std::vector<std::size_t> cost((n + 1) * (m + 1)), start((n + 1) * (m + 1));
  auto at = [m](std::size_t i, std::size_t j) { return i * (m + 1) + j; };
  for (std::size_t j = 0; j <= m; ++j) {
    cost[at(0, j)] = 0;
    start[at(0, j)] = j;
  }
  for (std::size_t i = 1; i <= n; ++i) {
    cost[at(i, 0)] = i;
    start[at(i, 0)] = 0;
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t diagonal = cost[at(i - 1, j - 1)] + (shorter[i - 1] == longer[j - 1] ? 0 : 1);
      std::size_t up = cost[at(i - 1, j)] + 1;
      std::size_t left = cost[at(i, j - 1)] + 1;
      if (diagonal <= up && diagonal <= left) {
        cost[at(i, j)] = diagonal;
        start[at(i, j)] = start[at(i - 1, j - 1)];
      } else if (up <= left) {
        cost[at(i, j)] = up;
        start[at(i, j)] = start[at(i - 1, j)];
      } else {
        cost[at(i, j)] = left;
        start[at(i, j)] = start[at(i, j - 1)];
      }
    }
  }
  Fit best{cost[at(n, 0)], 0, 0};
  for (std::size_t j = 1; j <= m; ++j) {
    if (cost[at(n, j)] < best.edits) best = {cost[at(n, j)], start[at(n, j)], j};
  }
  return best;
}

Piece trimmed(const Piece& piece, std::size_t from, std::size_t to) {
  while (from < to && piece[from] == U' ') ++from;
  while (to > from && piece[to - 1] == U' ') --to;
  return piece.substr(from, to - from);
}

// Puts what is left of `longer` around its matched span back among the pieces.
void keep_remainders(std::vector<Piece>& pieces, std::size_t index, const Fit& fit) {
  Piece whole = std::move(pieces[index]);
  pieces.erase(pieces.begin() + static_cast<long>(index));
  for (Piece rest : {trimmed(whole, 0, fit.from), trimmed(whole, fit.to, whole.size())})
    if (!rest.empty()) pieces.push_back(std::move(rest));
}

struct Match {
  std::size_t truth = 0, ocr = 0;
  Fit fit;
  double penalty = 2;  // edits per character of the shorter piece
};

Match best_match(const std::vector<Piece>& truth, const std::vector<Piece>& ocr) {
  Match best;
  for (std::size_t t = 0; t < truth.size(); ++t) {
    for (std::size_t o = 0; o < ocr.size(); ++o) {
      bool truth_shorter = truth[t].size() <= ocr[o].size();
      const Piece& shorter = truth_shorter ? truth[t] : ocr[o];
      const Piece& longer = truth_shorter ? ocr[o] : truth[t];
      Fit fit = fit_inside(shorter, longer);
      double penalty = double(fit.edits) / shorter.size();
      if (penalty < best.penalty) best = {t, o, fit, penalty};
    }
  }
  return best;
}

std::size_t total_size(const std::vector<Piece>& pieces) {
  std::size_t n = 0;
  for (const auto& p : pieces) n += p.size();
  return n;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  return levenshtein(code_points(a), code_points(b));
}

CerCount character_errors(std::string_view truth_text, std::string_view ocr_text) {
  std::vector<Piece> truth = lines_of(truth_text), ocr = lines_of(ocr_text);
  CerCount count;
  count.truth_chars = total_size(truth);
  while (!truth.empty() && !ocr.empty()) {
    Match match = best_match(truth, ocr);
    // A match no better than deleting the shorter piece and inserting its span
    // would only cut lines at random: stop and count the rest as unmatched.
    if (match.penalty >= 1.0) break;
    count.edits += match.fit.edits;
    if (truth[match.truth].size() <= ocr[match.ocr].size()) {
      truth.erase(truth.begin() + static_cast<long>(match.truth));
      keep_remainders(ocr, match.ocr, match.fit);
    } else {
      ocr.erase(ocr.begin() + static_cast<long>(match.ocr));
      keep_remainders(truth, match.truth, match.fit);
    }
  }
  count.edits += total_size(truth) + total_size(ocr);
  return count;
}

double character_error_rate(std::string_view truth, std::string_view ocr) {
  return character_errors(truth, ocr).rate();
}

}  // namespace sohoa::text
