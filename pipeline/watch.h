// Hot folder: a scanning station drops files into a folder; each is ingested
// once it has stopped growing, then moved to done/ or failed/.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pipeline/ingest.h"

namespace sohoa::pipeline {

struct WatchOptions {
  std::filesystem::path dir;
  // `inputs` and `stop` are set by watch(); an empty `digitized_at` means
  // the day each file is read.
  IngestOptions ingest;
  double settle_s = 5;  // a file is taken once its size and time stood still this long
  // Also take files in subfolders (not done/, failed/ or hidden ones); they
  // are filed under the same subfolder of done/ or failed/.
  bool recursive = false;
  // Set (e.g. from a signal handler) to stop: the files in hand are finished.
  const std::atomic<bool>* stop = nullptr;
  // Called after each batch is ingested (`ingested` true) and on each idle
  // tick (false), e.g. to sync the station to its central store and retry
  // while the link is down. Empty: nothing.
  std::function<void(bool ingested)> between_batches;
};

// Tracks the files of the hot folder and says which have settled. Pure
// bookkeeping, so it can be tested without waiting on a clock.
class SettleTracker {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SettleTracker(std::chrono::milliseconds settle) : settle_(settle) {}

  // Records what a listing of the folder saw at `now`; forgets files gone.
  void observe(const std::vector<std::filesystem::path>& files, Clock::time_point now);
  // Files unchanged for the settle time at `now`, in name order.
  std::vector<std::filesystem::path> settled(Clock::time_point now) const;
  void forget(const std::filesystem::path& file) { seen_.erase(file); }

 private:
  struct Seen {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type mtime;
    Clock::time_point since;  // when this size and time were first seen
  };
  std::chrono::milliseconds settle_;
  std::map<std::filesystem::path, Seen> seen_;
};

// Files directly in `dir` (with `recursive`, in its subfolders too), in name
// order: every regular file but hidden ones and those under done/ and
// failed/. Files that are not scans are among them, so they can be filed
// away to failed/ rather than stay forever.
std::vector<std::filesystem::path> hot_folder_files(const std::filesystem::path& dir,
                                                    bool recursive = false);

// Moves `file` into `folder` (created if needed) under a name not yet taken
// there; returns the new path.
std::filesystem::path move_into(const std::filesystem::path& file,
                                const std::filesystem::path& folder);

// Watches `options.dir` until `options.stop` is set. `on_outcome` is called
// for every file ingested, after it was moved; a file that is not a scan by
// content is not recorded: it moves to failed/ with its reason, reported
// `skipped`. Throws storage::StorageError
// when the database fails, std::runtime_error when the folder cannot be watched.
void watch(const WatchOptions& options, const std::function<void(const FileOutcome&)>& on_outcome);

}  // namespace sohoa::pipeline
