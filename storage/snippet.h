// Search snippets computed in C++, as FTS5's snippet(…, '[', ']', '…', 12)
// computes them (fts5_aux.c), so that both stores show the same snippet
// without asking FTS5 to match each hit again: windows of 12 words start at
// each hit, or at the start of the hit's sentence (a bonus), score 1000 per
// distinct phrase and 1 per repeat, and the best is centred on its hits;
// matched phrases are bracketed, cut text marked "…". Words are found and
// folded as the "sohoa_fold" tokenizer does (storage/fold_tokenizer.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/search_query.h"

namespace sohoa::storage {

// The snippet of a document's metadata and text for the query's phrases.
std::string make_snippet(const std::string& meta, const std::string& body,
                         const std::vector<QueryPhrase>& phrases);

// The snippet when every wanted (not excluded) phrase occurs in `meta` or
// `body` as the folded match finds it; nothing when one does not.
std::optional<std::string> snippet_if_matched(const std::string& meta, const std::string& body,
                                              const std::vector<QueryPhrase>& phrases);

}  // namespace sohoa::storage
