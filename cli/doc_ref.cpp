#include <algorithm>
#include <cctype>

#include "cli/command.h"

namespace sohoa::cli {

int64_t resolve_document(storage::Database& db, const std::string& ref) {
  if (ref.empty()) throw UsageError("DOC is empty: give a document id or a SHA-256 prefix");
  std::vector<int64_t> ids = db.resolve(ref);
  // An all-digit ref may also begin some SHA-256: the id it names wins, as a
  // clerk typing "show 12" means document 12.
  bool digits = ref.size() < 19 && std::all_of(ref.begin(), ref.end(), ::isdigit);
  if (digits && std::find(ids.begin(), ids.end(), std::stoll(ref)) != ids.end()) {
    return std::stoll(ref);
  }
  if (ids.empty()) throw UsageError("no document matches '" + ref + "'");
  if (ids.size() > 1) {
    throw UsageError("'" + ref + "' matches " + std::to_string(ids.size()) +
                     " documents; give more of the SHA-256");
  }
  return ids.front();
}

}  // namespace sohoa::cli
