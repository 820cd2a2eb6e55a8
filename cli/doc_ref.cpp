#include "cli/command.h"

namespace sohoa::cli {

int64_t resolve_document(storage::Database& db, const std::string& ref) {
  storage::DocRef parsed = storage::parse_doc_ref(ref);
  if (parsed.kind == storage::DocRef::kInvalid) {
    throw UsageError("'" + ref + "' is not a DOC: " + parsed.problem +
                     " (an id is all digits; write sha256:PREFIX for a prefix of digits only)");
  }
  std::vector<int64_t> ids = db.resolve(ref);
  if (ids.empty()) {
    if (parsed.kind == storage::DocRef::kShaPrefix) {
      throw UsageError("no document matches '" + ref + "': no SHA-256 begins with it");
    }
    std::string hint = ref.size() >= storage::kMinShaPrefix
                           ? "; write sha256:" + ref + " for a SHA-256 prefix"
                           : "";
    throw UsageError("no document matches '" + ref + "': no document has that id" + hint);
  }
  if (ids.size() > 1) {
    throw UsageError("'" + ref + "' matches " + std::to_string(ids.size()) +
                     " documents; give more of the SHA-256");
  }
  return ids.front();
}

}  // namespace sohoa::cli
