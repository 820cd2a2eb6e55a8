// Translates the user's search syntax into an FTS5 expression, so no user
// input ever reaches FTS5's own query parser.
#pragma once

#include <string>
#include <string_view>

namespace sohoa::storage {

struct FtsQuery {
  std::string match;     // full expression; empty when the query has no words
  std::string positive;  // the wanted terms only (for exact-accent re-ranking)
  bool blank = true;     // the query was empty or only spaces
};

// Bare words become quoted terms ANDed together; "…" is a phrase; word* a
// prefix; -word or -"…" excludes. Words are what the search tokenizer sees,
// so punctuation, FTS5 keywords and operators are just text. Throws
// InputError for an unbalanced quote or a query of only exclusions.
FtsQuery translate_query(std::string_view user_query);

}  // namespace sohoa::storage
