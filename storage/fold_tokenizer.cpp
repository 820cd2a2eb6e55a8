#include "storage/fold_tokenizer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "storage/sqlite_util.h"
#include "text/vntext.h"

namespace sohoa::storage {
namespace {

// Combining marks belong to the word they sit on: text that escaped NFC
// composition must still fold as one word.
bool is_word_char(UChar32 c) {
  if (c < 0) return false;
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  int8_t type = u_charType(c);
  return u_isalnum(c) || type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

bool is_ascii_word(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

int fold_create(void*, const char**, int, Fts5Tokenizer** out) {
  static int instance = 0;
  *out = reinterpret_cast<Fts5Tokenizer*>(&instance);
  return SQLITE_OK;
}

void fold_delete(Fts5Tokenizer*) {}

int fold_tokenize(Fts5Tokenizer*, void* ctx, int, const char* text, int length,
                  int (*emit)(void*, int, const char*, int, int, int)) {
  std::string_view all(text != nullptr ? text : "", static_cast<size_t>(length));
  for (const TokenSpan& span : word_spans(all)) {
    std::string folded = fold_token(all.substr(span.begin, span.end - span.begin));
    if (folded.empty()) continue;
    int rc = emit(ctx, 0, folded.data(), static_cast<int>(folded.size()),
                  static_cast<int>(span.begin), static_cast<int>(span.end));
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

fts5_api* fts5_api_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sql::Stmt stmt(db, "SELECT fts5(?1)");
  sqlite3_bind_pointer(stmt.raw(), 1, reinterpret_cast<void*>(&api), "fts5_api_ptr", nullptr);
  stmt.step();
  return api;
}

}  // namespace

std::string fold_token(std::string_view word) {
  if (is_ascii_word(word)) {
    std::string out(word);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  return text::fold(word);
}

std::vector<TokenSpan> word_spans(std::string_view utf8) {
  std::vector<TokenSpan> spans;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  int32_t n = static_cast<int32_t>(utf8.size());
  int32_t i = 0;
  int32_t start = -1;
  while (i < n) {
    int32_t at = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    bool word = is_word_char(c);
    if (word && start < 0) start = at;
    if (!word && start >= 0) {
      spans.push_back({static_cast<size_t>(start), static_cast<size_t>(at)});
      start = -1;
    }
  }
  if (start >= 0) spans.push_back({static_cast<size_t>(start), static_cast<size_t>(n)});
  return spans;
}

void register_fold_tokenizer(sqlite3* db) {
  fts5_api* api = fts5_api_of(db);
  if (api == nullptr || api->iVersion < 2) sql::fail(db, "SQLite has no FTS5");
  static fts5_tokenizer tokenizer = {fold_create, fold_delete, fold_tokenize};
  if (api->xCreateTokenizer(api, kFoldTokenizer, nullptr, &tokenizer, nullptr) != SQLITE_OK) {
    sql::fail(db, "cannot register the search tokenizer");
  }
}

}  // namespace sohoa::storage
