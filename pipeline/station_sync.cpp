#include "pipeline/station_sync.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
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

// The station's corrections (and undos) the centre lacks. When any was new there and
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
    const size_t per_transaction = static_cast<size_t>(std::max(1, options_.batch));
    for (size_t at = 0; at < ids.size() && !stopped();) {
      size_t end = std::min(ids.size(), at + per_transaction);
      std::vector<int64_t> group(ids.begin() + static_cast<std::ptrdiff_t>(at),
                                 ids.begin() + static_cast<std::ptrdiff_t>(end));
      std::vector<Outcome> outcomes = send_together(group);
      if (outcomes.empty()) {
        // Something in the group failed (or the link did): nothing of it
        // was kept; one by one, each whole or not at all on its own.
        for (int64_t id : group) {
          if (stopped()) break;
          outcomes.push_back(
              with_reconnect([&] { return send(id, nullptr); }, "document " + std::to_string(id)));
        }
      }
      at += outcomes.size();
      for (Outcome outcome : outcomes) count(outcome, counts);
      if (options_.on_progress && at < ids.size()) options_.on_progress(counts);
    }
    if (options_.on_progress) options_.on_progress(counts);
    return counts;
  }

 private:
  bool stopped() const { return options_.stop != nullptr && options_.stop->load(); }

  static void count(Outcome outcome, SyncCounts& counts) {
    switch (outcome) {
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
  }

  // The documents of `group` in one central transaction, each as send()
  // does it, up to a stop request. Empty when any failed at the centre or
  // the link did: then the transaction was rolled back and nothing of the
  // group is there. Documents the station cannot give (no original) fail
  // alone; their problems are told once the rest is committed.
  std::vector<Outcome> send_together(const std::vector<int64_t>& group) {
    if (!central_ || group.size() < 2) return {};
    std::vector<Outcome> outcomes;
    std::vector<std::string> problems;
    try {
      central_->in_one_transaction([&] {
        for (int64_t id : group) {
          if (stopped()) break;
          outcomes.push_back(send(id, &problems));
        }
      });
    } catch (const storage::StorageError&) {
      return {};
    } catch (const storage::InputError&) {
      return {};
    }
    for (const std::string& message : problems) problem(message);
    return outcomes;
  }

  void connect() {
    central_.reset();
    central_ = storage::Database::open(options_.central_url);
    deleted_centrally_.clear();
    for (const auto& d : central_->deletions()) deleted_centrally_.insert(d.sha256);
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

  // One document: the original first, then the record with its pages,
  // fields and corrections in one transaction (on its own, a kill after the
  // original leaves only bytes no record names, and the rerun finds them).
  // `together`: inside send_together's transaction, where a failed
  // statement spoils the rest, so any central failure is thrown for the
  // group to be sent again one by one, and the station's problems are
  // collected there instead of told.
  Outcome send(int64_t id, std::vector<std::string>* together) {
    auto station_problem = [&](const std::string& message) {
      if (together != nullptr) {
        together->push_back(message);
      } else {
        problem(message);
      }
      return Outcome::kFailed;
    };
    std::optional<storage::NewDocument> doc = station_->document_as_stored(id);
    if (!doc) return Outcome::kAlready;  // deleted at the station meanwhile
    std::vector<storage::Correction> corrections = station_->correction_history(id);
    auto existing = central_->find_by_sha256(doc->sha256);
    if (already_there(existing, *doc)) {
      bring_corrections(*central_, existing->id, corrections, *doc);
      return Outcome::kAlready;
    }
    // Deleted centrally (`sohoa delete` there): the tombstone wins over a
    // station that still holds the document, as in merge; without this each
    // sync brought it back. Ingesting the bytes centrally again restores it.
    if (!existing && deleted_centrally_.count(doc->sha256) > 0) return Outcome::kAlready;
    const std::string& archive = doc->archive_sha256.empty() ? doc->sha256 : doc->archive_sha256;
    if (!central_->has_original(archive)) {
      std::optional<std::string> bytes;
      try {
        bytes = station_->original(archive);
      } catch (const storage::StorageError& e) {
        return station_problem(doc->source + ": not sent: " + e.what());
      }
      if (bytes) {
        central_->put_original_bytes(*bytes, archive);
      } else if (doc->status != "failed") {
        return station_problem(doc->source +
                               ": not sent: its original is not in the station's archive (" +
                               options_.station_db.string() + ".files)");
      }
    }
    if (together != nullptr) {
      central_->store_document_with_corrections(*doc, corrections);
      return Outcome::kSent;
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
  std::set<std::string> deleted_centrally_;  // SHA-256s, read at each connection
};

}  // namespace

SyncCounts sync_station(const SyncOptions& options) { return Syncer(options).run(); }

}  // namespace sohoa::pipeline
