#include "pipeline/station_sync.h"

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "pipeline/reassess.h"
#include "storage/database.h"

namespace sohoa::pipeline {
namespace {

enum class Outcome { kSent, kAlready, kFailed };

// A document is there when stored centrally, unless only as failed while
// the station read it (as for merge).
bool already_there(const std::optional<storage::Database::Existing>& existing,
                   const storage::NewDocument& doc) {
  return existing && (existing->status != "failed" || doc.status == "failed");
}

// The station's corrections the centre lacks. When any was new there and
// the station's review state differs from the centre's, the document is
// re-read centrally as `review --set` re-read it at the station, so its
// status and reasons follow the corrections (the centre's own, if newer,
// included). Same state: nothing is re-read, what the station sent stands.
void bring_corrections(storage::Database& central, int64_t id,
                       const std::vector<storage::Correction>& corrections,
                       const storage::NewDocument& at_station) {
  if (central.import_corrections(id, corrections) == 0) return;
  auto there = central.document_as_stored(id);
  if (there &&
      (there->status != at_station.status || there->review_reasons != at_station.review_reasons)) {
    refresh_status(central, id);
  }
}

class Syncer {
 public:
  explicit Syncer(const SyncOptions& options)
      : options_(options), station_(storage::Database::open(options.station_db)) {
    connect();
  }

  SyncCounts run() {
    SyncCounts counts;
    std::vector<int64_t> ids = station_->document_ids();
    counts.total = static_cast<int64_t>(ids.size());
    int in_batch = 0;
    for (int64_t id : ids) {
      if (options_.stop != nullptr && options_.stop->load()) break;
      switch (with_reconnect([&] { return send(id); }, "document " + std::to_string(id))) {
        case Outcome::kSent:
          ++counts.sent;
          break;
        case Outcome::kAlready:
          ++counts.already;
          break;
        case Outcome::kFailed:
          ++counts.failed;
          break;
      }
      if (++in_batch >= options_.batch) {
        in_batch = 0;
        if (options_.on_progress) options_.on_progress(counts);
      }
    }
    if (options_.on_progress) options_.on_progress(counts);
    return counts;
  }

 private:
  void connect() {
    central_.reset();
    central_ = storage::Database::open(options_.central_url);
  }

  // Runs `step` (each is idempotent). When it fails, the centre's
  // connection is reopened, with backoff while it cannot be, and the step
  // run again; failing again on a fresh connection, it is this document's
  // problem, not the link's.
  template <typename F>
  Outcome with_reconnect(F&& step, const std::string& what) {
    int lost = 0;
    bool fresh = false;
    for (;;) {
      if (!central_) {
        try {
          connect();
          fresh = true;
        } catch (const storage::StorageError&) {
          if (++lost > options_.reconnects) throw;
          std::this_thread::sleep_for(std::chrono::seconds(1 << (lost - 1)));
          continue;
        }
      }
      try {
        return step();
      } catch (const storage::StorageError& e) {
        if (fresh) {
          problem(what + ": not sent: " + e.what());
          return Outcome::kFailed;
        }
        central_.reset();
      }
    }
  }

  void problem(const std::string& message) const {
    if (options_.on_problem) options_.on_problem(message);
  }

  // One document: the original first (its own transaction; a kill after it
  // leaves only bytes no record names, and the rerun finds them), then the
  // record with its pages, fields and corrections in one transaction.
  Outcome send(int64_t id) {
    std::optional<storage::NewDocument> doc = station_->document_as_stored(id);
    if (!doc) return Outcome::kAlready;  // deleted at the station meanwhile
    std::vector<storage::Correction> corrections = station_->corrections(id);
    auto existing = central_->find_by_sha256(doc->sha256);
    if (already_there(existing, *doc)) {
      bring_corrections(*central_, existing->id, corrections, *doc);
      return Outcome::kAlready;
    }
    const std::string& archive = doc->archive_sha256.empty() ? doc->sha256 : doc->archive_sha256;
    if (!central_->has_original(archive)) {
      std::optional<std::string> bytes;
      try {
        bytes = station_->original(archive);
      } catch (const storage::StorageError& e) {
        problem(doc->source + ": not sent: " + e.what());
        return Outcome::kFailed;
      }
      if (bytes) {
        central_->put_original_bytes(*bytes, archive);
      } else if (doc->status != "failed") {
        problem(doc->source + ": not sent: its original is not in the station's archive (" +
                options_.station_db.string() + ".files)");
        return Outcome::kFailed;
      }
    }
    try {
      central_->store_document_with_corrections(*doc, corrections);
    } catch (const storage::StorageError&) {
      // Another station sent the same bytes a moment ago.
      auto now = central_->find_by_sha256(doc->sha256);
      if (already_there(now, *doc)) {
        bring_corrections(*central_, now->id, corrections, *doc);
        return Outcome::kAlready;
      }
      throw;
    } catch (const storage::InputError& e) {
      problem(doc->source + ": not sent: " + e.what());
      return Outcome::kFailed;
    }
    return Outcome::kSent;
  }

  const SyncOptions& options_;
  std::unique_ptr<storage::Database> station_;
  std::unique_ptr<storage::Database> central_;
};

}  // namespace

SyncCounts sync_station(const SyncOptions& options) { return Syncer(options).run(); }

}  // namespace sohoa::pipeline
