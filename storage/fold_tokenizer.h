// The FTS5 tokenizer "sohoa_fold": words are runs of letters, digits and
// combining marks; each is emitted folded (text::fold) with its byte offsets
// in the original text, so snippet() shows the original accented words.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

namespace sohoa::storage {

inline constexpr const char* kFoldTokenizer = "sohoa_fold";

struct TokenSpan {
  size_t begin = 0;  // byte offsets into the text
  size_t end = 0;
};

// Where the words of `utf8` are, by the tokenizer's rule.
std::vector<TokenSpan> word_spans(std::string_view utf8);

// One word as the tokenizer emits it: case and accents folded (đ to d).
std::string fold_token(std::string_view word);

// Registers the tokenizer on a connection. Throws StorageError.
void register_fold_tokenizer(sqlite3* db);

}  // namespace sohoa::storage
