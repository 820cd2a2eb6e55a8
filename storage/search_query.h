// Translates the user's search syntax into an FTS5 expression, so no user
// input ever reaches FTS5's own query parser.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sohoa::storage {

// One term of the query as the user wrote it: its words (unfolded, as
// written), whether the last is a prefix (word*), whether it excludes.
struct QueryPhrase {
  std::vector<std::string> words;
  bool prefix = false;
  bool exclude = false;
};

struct FtsQuery {
  std::string match;                 // full expression; empty when the query has no words
  std::string positive;              // the wanted terms only (for exact-accent re-ranking)
  // Every wanted term in the meta column (with and without the exclusions):
  // the metadata tiers of storage/search_rank.h, as column filters.
  std::string meta_match;
  std::string positive_meta;
  bool blank = true;                 // the query was empty or only spaces
  std::vector<QueryPhrase> phrases;  // the same terms, parsed (for stores without FTS5)
};

// Limits on a query, so that a pasted page (or a web client) cannot make a
// search take minutes: FTS5 and the exact-accent re-ranking grow with the
// square of the number of words. Generous for people: a long document
// number or a full name with its place is under 15 words.
inline constexpr size_t kMaxQueryBytes = 1024;
inline constexpr size_t kMaxQueryWords = 32;

// Bare words become quoted terms ANDed together; "…" is a phrase; word* a
// prefix; -word or -"…" excludes. Words are what the search tokenizer sees,
// so punctuation, FTS5 keywords and operators are just text. Throws
// InputError for an unbalanced quote, a query of only exclusions, or one
// longer than kMaxQueryBytes or with more than kMaxQueryWords words.
FtsQuery translate_query(std::string_view user_query);

}  // namespace sohoa::storage
