// A station's SQLite database into the central PostgreSQL store (SPEC
// "Central store and stations", `sohoa sync --to URL`): only what the centre
// lacks, identity by SHA-256 as in merge, documents whole in transactions of
// a batch (one the centre refuses is sent again alone and fails alone), so a
// sync killed or cut off at any point loses nothing and the next run sends
// the rest.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace sohoa::pipeline {

struct SyncCounts {
  int64_t sent = 0;     // stored centrally by this run
  int64_t already = 0;  // there before (their newer corrections still travel)
  int64_t failed = 0;   // could not be sent (reported through on_problem)
  int64_t total = 0;    // documents of the station
};

struct SyncOptions {
  std::filesystem::path station_db;
  std::string central_url;
  // Documents per central transaction, with a progress report after each:
  // one commit (one fsync) for many, while a kill or a cut loses at most
  // one batch's work in progress, never a part of a document.
  int batch = 100;
  // How often a lost connection is reopened (with backoff: 1 s, 2 s, 4 s…)
  // before the sync gives up.
  int reconnects = 3;
  std::function<void(const std::string&)> on_problem;  // one line per failed document
  std::function<void(const SyncCounts&)> on_progress;  // after each batch
  const std::atomic<bool>* stop = nullptr;             // set: finish the document in hand
};

// Sends the station's documents with their pages, text, layout, metadata,
// review state, corrections (who and when) and originals. A document the
// centre has already gets only the station's corrections it lacks; a
// correction made centrally since stays in force (the latest by time wins).
// When any of those corrections is new there and the station's status or
// review reasons differ from the centre's, the document is re-assessed
// centrally (as `review --set` does), so the station's review travels.
// Throws storage::StorageError when the station or the centre cannot be
// opened, or the centre stays unreachable after `reconnects` attempts.
SyncCounts sync_station(const SyncOptions& options);

}  // namespace sohoa::pipeline
