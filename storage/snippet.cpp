#include "storage/snippet.h"

#include <algorithm>

#include "storage/fold_tokenizer.h"

namespace sohoa::storage {
namespace {

struct SnippetColumn {
  const std::string* text;
  std::vector<TokenSpan> spans;
  std::vector<std::string> folded;
  std::vector<int> sentence_starts;
};

struct Instance {
  size_t phrase;
  int offset;
  int size;
};

SnippetColumn snippet_column(const std::string& text) {
  SnippetColumn c{&text, word_spans(text), {}, {}};
  for (size_t i = 0; i < c.spans.size(); ++i) {
    c.folded.push_back(fold_token(
        std::string_view(text).substr(c.spans[i].begin, c.spans[i].end - c.spans[i].begin)));
    if (i == 0) {
      c.sentence_starts.push_back(0);
      continue;
    }
    size_t j = c.spans[i].begin;
    size_t k = j;
    while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t' || text[k - 1] == '\n' ||
                     text[k - 1] == '\r')) {
      --k;
    }
    if (k != j && k > 0 && (text[k - 1] == '.' || text[k - 1] == ':')) {
      c.sentence_starts.push_back(static_cast<int>(i));
    }
  }
  return c;
}

std::vector<Instance> instances_in(const SnippetColumn& c,
                                   const std::vector<QueryPhrase>& phrases) {
  std::vector<Instance> out;
  std::vector<std::vector<std::string>> wanted;
  for (const QueryPhrase& p : phrases) {
    std::vector<std::string> words;
    if (!p.exclude) {
      for (const std::string& w : p.words) words.push_back(fold_token(w));
    }
    wanted.push_back(std::move(words));
  }
  for (size_t pos = 0; pos < c.folded.size(); ++pos) {
    for (size_t ip = 0; ip < wanted.size(); ++ip) {
      const auto& words = wanted[ip];
      if (words.empty() || pos + words.size() > c.folded.size()) continue;
      bool all = true;
      for (size_t k = 0; k < words.size() && all; ++k) {
        bool last = k + 1 == words.size();
        const std::string& token = c.folded[pos + k];
        all = (last && phrases[ip].prefix) ? token.starts_with(words[k]) : token == words[k];
      }
      if (all) out.push_back({ip, static_cast<int>(pos), static_cast<int>(words.size())});
    }
  }
  return out;
}

// fts5SnippetScore: the score of the window [start, start + n) and, in
// `adjusted`, where a window centred on its hits starts.
int window_score(const std::vector<Instance>& hits, size_t phrases, int column_size, int start,
                 int n, int* adjusted) {
  std::vector<bool> seen(phrases, false);
  int score = 0, first = -1, last = 0;
  for (const Instance& h : hits) {
    if (h.offset < start || h.offset >= start + n) continue;
    score += seen[h.phrase] ? 1 : 1000;
    seen[h.phrase] = true;
    if (first < 0) first = h.offset;
    last = h.offset + h.size;
  }
  if (adjusted != nullptr) {
    int adj = first - (n - (last - first)) / 2;
    if (adj + n > column_size) adj = column_size - n;
    if (adj < 0) adj = 0;
    *adjusted = adj;
  }
  return score;
}

std::string snippet_of(const SnippetColumn (&columns)[2], const std::vector<Instance> (&hits)[2],
                       const std::vector<QueryPhrase>& phrases) {
  constexpr int kTokens = 12;
  int best_score = 0, best_column = 0, best_start = 0;
  for (int i = 0; i < 2; ++i) {
    const SnippetColumn& c = columns[i];
    int size = static_cast<int>(c.spans.size());
    for (const Instance& h : hits[i]) {
      int adjusted = 0;
      int score = window_score(hits[i], phrases.size(), size, h.offset, kTokens, &adjusted);
      if (score > best_score) {
        best_score = score;
        best_column = i;
        best_start = adjusted;
      }
      if (c.sentence_starts.empty() || size <= kTokens) continue;
      size_t jj = 0;
      while (jj + 1 < c.sentence_starts.size() && c.sentence_starts[jj + 1] <= h.offset) ++jj;
      int sentence = c.sentence_starts[jj];
      if (sentence < h.offset) {
        int aligned = window_score(hits[i], phrases.size(), size, sentence, kTokens, nullptr) +
                      (sentence == 0 ? 120 : 100);
        if (aligned > best_score) {
          best_score = aligned;
          best_column = i;
          best_start = sentence;
        }
      }
    }
  }
  const SnippetColumn& c = columns[best_column];
  const std::string& t = *c.text;
  int size = static_cast<int>(c.spans.size());
  int end = best_start + kTokens - 1;  // last token shown
  std::vector<int> open(c.spans.size(), 0), close(c.spans.size(), 0);
  // Overlapping instances read as one highlighted run; adjacent ones stay
  // apart, as FTS5 shows them ("[thôn] [phú diễn]").
  int run_end = -1;
  for (const Instance& h : hits[best_column]) {
    int last = h.offset + h.size - 1;
    if (h.offset > run_end) {
      open[h.offset] += 1;
      if (run_end >= 0) close[run_end] += 1;
      run_end = last;
    } else {
      run_end = std::max(run_end, last);
    }
  }
  if (run_end >= 0) close[run_end] += 1;
  std::string out;
  if (best_start > 0) out += "…";
  size_t from = best_start == 0 || c.spans.empty() ? 0 : c.spans[best_start].begin;
  bool inside = false;
  for (int i = best_start; i <= end && i < size; ++i) {
    out += t.substr(from, c.spans[i].begin - from);
    if (open[i] > 0 && !inside) {
      out += '[';
      inside = true;
    }
    out += t.substr(c.spans[i].begin, c.spans[i].end - c.spans[i].begin);
    if (close[i] > 0 && inside) {
      out += ']';
      inside = false;
    }
    from = c.spans[i].end;
  }
  if (inside) out += ']';
  if (end >= size - 1) {
    out += t.substr(std::min(from, t.size()));
  } else {
    out += "…";
  }
  return out;
}

}  // namespace

std::string make_snippet(const std::string& meta, const std::string& body,
                         const std::vector<QueryPhrase>& phrases) {
  SnippetColumn columns[2] = {snippet_column(meta), snippet_column(body)};
  std::vector<Instance> hits[2] = {instances_in(columns[0], phrases),
                                   instances_in(columns[1], phrases)};
  return snippet_of(columns, hits, phrases);
}

std::optional<std::string> snippet_if_matched(const std::string& meta, const std::string& body,
                                              const std::vector<QueryPhrase>& phrases) {
  SnippetColumn columns[2] = {snippet_column(meta), snippet_column(body)};
  std::vector<Instance> hits[2] = {instances_in(columns[0], phrases),
                                   instances_in(columns[1], phrases)};
  std::vector<bool> found(phrases.size(), false);
  for (const auto& column_hits : hits) {
    for (const Instance& h : column_hits) found[h.phrase] = true;
  }
  for (size_t i = 0; i < phrases.size(); ++i) {
    if (!phrases[i].exclude && !found[i]) return std::nullopt;
  }
  return snippet_of(columns, hits, phrases);
}

}  // namespace sohoa::storage
