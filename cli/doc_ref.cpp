#include "cli/command.h"

namespace sohoa::cli {

int64_t resolve_document(storage::Database& db, const std::string& ref) {
  if (ref.empty()) throw UsageError("DOC is empty: give a document id or a SHA-256 prefix");
  std::vector<int64_t> ids = db.resolve(ref);
  if (ids.empty()) throw UsageError("no document matches '" + ref + "'");
  if (ids.size() > 1) {
    throw UsageError("'" + ref + "' matches " + std::to_string(ids.size()) +
                     " documents; give more of the SHA-256");
  }
  return ids.front();
}

}  // namespace sohoa::cli
