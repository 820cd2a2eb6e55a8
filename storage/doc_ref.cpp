// The SPEC's DOC rule, shared by every command that names a document.
#include <algorithm>
#include <cctype>

#include "storage/database.h"

namespace sohoa::storage {
namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool all_hex(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(uint8_t(c)) != 0; });
}

DocRef invalid(std::string problem) {
  DocRef r;
  r.problem = std::move(problem);
  return r;
}

DocRef sha_prefix(std::string prefix) {
  if (!all_hex(prefix)) return invalid("a SHA-256 prefix is made of hex digits 0-9, a-f");
  if (prefix.size() < kMinShaPrefix) {
    return invalid("a SHA-256 prefix needs at least " + std::to_string(kMinShaPrefix) +
                   " hex characters");
  }
  if (prefix.size() > 64) return invalid("a SHA-256 has 64 hex characters");
  for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  DocRef r;
  r.kind = DocRef::kShaPrefix;
  r.sha_prefix = std::move(prefix);
  return r;
}

}  // namespace

DocRef parse_doc_ref(const std::string& ref) {
  if (ref.empty()) return invalid("DOC is empty: give a document id or a SHA-256 prefix");
  constexpr std::string_view kShaMark = "sha256:";
  if (ref.starts_with(kShaMark)) return sha_prefix(ref.substr(kShaMark.size()));
  if (all_digits(ref)) {
    // An id has at most 18 digits (int64); more is no id of ours.
    if (ref.size() > 18) return invalid("document id too large");
    DocRef r;
    r.kind = DocRef::kId;
    r.id = std::stoll(ref);
    return r;
  }
  return sha_prefix(ref);
}

}  // namespace sohoa::storage
