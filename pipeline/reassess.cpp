#include "pipeline/reassess.h"

namespace sohoa::pipeline {

std::optional<metadata::Assessment> refresh_status(storage::Database& db, int64_t id) {
  auto doc = db.document(id);
  if (!doc) return std::nullopt;
  try {
    metadata::MetadataExtractor extractor(db.units());
    metadata::Assessment a = metadata::reassess(extractor, *doc);
    db.replace_extraction(id, a.fields, a.issuer_unit, a.level, a.status, a.reasons);
    return a;
  } catch (const metadata::NotReextractable&) {
    return std::nullopt;  // nothing to re-read: the status stays as it was
  }
}

}  // namespace sohoa::pipeline
