#include "storage/search_query.h"

#include <vector>

#include "storage/database.h"
#include "storage/fold_tokenizer.h"
#include "text/vntext.h"

namespace sohoa::storage {
namespace {

struct Term {
  std::string fts;  // quoted FTS5 phrase, maybe with a trailing *
  bool exclude = false;
  QueryPhrase phrase;
};

// The words of `raw` as one quoted FTS5 phrase; empty when it has no words.
// Adds the number of words to `words`; the words themselves go to `out`.
std::string quoted_phrase(std::string_view raw, bool prefix, size_t& words, QueryPhrase& out) {
  std::string phrase;
  out.prefix = prefix;
  for (const TokenSpan& span : word_spans(raw)) {
    if (++words > kMaxQueryWords) {
      throw InputError("search query too long: at most " + std::to_string(kMaxQueryWords) +
                       " words");
    }
    if (!phrase.empty()) phrase += ' ';
    phrase += raw.substr(span.begin, span.end - span.begin);
    out.words.emplace_back(raw.substr(span.begin, span.end - span.begin));
  }
  if (phrase.empty()) return {};
  return "\"" + phrase + "\"" + (prefix ? "*" : "");
}

class Parser {
 public:
  explicit Parser(std::string_view q) : q_(q) {}

  std::vector<Term> terms() {
    std::vector<Term> out;
    while (skip_spaces()) {
      bool exclude = false;
      if (q_[pos_] == '-') {
        exclude = true;
        ++pos_;
        if (pos_ >= q_.size() || q_[pos_] == ' ') continue;
      }
      QueryPhrase words;
      std::string fts = q_[pos_] == '"' ? phrase(words) : word(words);
      words.exclude = exclude;
      if (!fts.empty()) out.push_back({fts, exclude, std::move(words)});
    }
    return out;
  }

 private:
  bool skip_spaces() {
    while (pos_ < q_.size() && q_[pos_] == ' ') ++pos_;
    return pos_ < q_.size();
  }

  std::string phrase(QueryPhrase& out) {
    size_t close = q_.find('"', pos_ + 1);
    if (close == std::string_view::npos) {
      throw InputError("unbalanced quote in search query: a \"phrase\" needs its closing \"");
    }
    std::string_view body = q_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    bool prefix = pos_ < q_.size() && q_[pos_] == '*';
    while (pos_ < q_.size() && q_[pos_] == '*') ++pos_;
    return quoted_phrase(body, prefix, words_, out);
  }

  std::string word(QueryPhrase& out) {
    size_t end = pos_;
    while (end < q_.size() && q_[end] != ' ' && q_[end] != '"') ++end;
    std::string_view raw = q_.substr(pos_, end - pos_);
    pos_ = end;
    bool prefix = !raw.empty() && raw.back() == '*';
    return quoted_phrase(raw, prefix, words_, out);
  }

  std::string_view q_;
  size_t pos_ = 0;
  size_t words_ = 0;
};

std::string joined(const std::vector<Term>& terms, bool exclude, const char* separator) {
  std::string out;
  for (const Term& t : terms) {
    if (t.exclude != exclude) continue;
    if (!out.empty()) out += separator;
    out += t.fts;
  }
  return out;
}

}  // namespace

FtsQuery translate_query(std::string_view user_query) {
  if (user_query.size() > kMaxQueryBytes) {
    throw InputError("search query too long: " + std::to_string(user_query.size()) +
                     " bytes, at most " + std::to_string(kMaxQueryBytes));
  }
  std::string q = text::collapse_spaces(text::nfc(user_query));
  FtsQuery result;
  result.blank = q.empty();
  if (result.blank) return result;
  std::vector<Term> terms = Parser(q).terms();
  std::string wanted = joined(terms, false, " AND ");
  std::string unwanted = joined(terms, true, " NOT ");
  if (wanted.empty() && !unwanted.empty()) {
    throw InputError("search query has only exclusions (-word); add a word to look for");
  }
  if (wanted.empty()) return result;
  for (Term& t : terms) result.phrases.push_back(std::move(t.phrase));
  result.positive = wanted;
  result.match = "(" + wanted + ")";
  result.positive_meta = "{meta} : (" + wanted + ")";
  result.meta_match = result.positive_meta;
  if (!unwanted.empty()) {
    result.match += " NOT " + unwanted;
    result.meta_match += " NOT " + unwanted;
  }
  return result;
}

}  // namespace sohoa::storage
