// A stored document decided again after a person's correction or undo: the
// metadata extracted again from its stored layout (no OCR), the corrections
// laid over it, and its issuing unit, level, status and review reasons
// stored. `review --set/--undo` and the web app's correction route share it.
#pragma once

#include <cstdint>
#include <optional>

#include "metadata/review.h"
#include "storage/database.h"

namespace sohoa::pipeline {

// Re-extracts document `id` and stores the result with
// Database::replace_extraction. Returns the stored assessment; nullopt when
// there is no such document or it cannot be re-read (failed, or stored
// without its layout: its status stays as it was). Throws what the database
// throws (storage::StorageError).
std::optional<metadata::Assessment> refresh_status(storage::Database& db, int64_t id);

}  // namespace sohoa::pipeline
