// Orchestration of ingest: finds the input files and runs their pages through
// the stages on worker threads (one stage chain and one Tesseract per worker,
// pages of one file side by side), then assembles and stores each document
// from one writer. Owns threads, queues and progress; no image logic here.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/split.h"
#include "pipeline/stages/chain.h"
#include "pipeline/stages/load.h"
#include "storage/database.h"

namespace sohoa::pipeline {

// Counters for a progress display, as known when a page or file finishes.
struct IngestProgress {
  int files_total = 0;  // input files found
  int files_done = 0;   // with a final outcome
  int pages_done = 0;   // pages read in this run
  // The run's pages by the files' headers, read before the first page; less
  // only the pages of files found stored already or unreadable.
  int pages_expected = 0;
  bool pages_estimated = false;  // pages_expected is a guess (ingest no longer guesses)
  double elapsed_s = 0;
  // When the first page was done (0: none yet, or unknown). The rate is
  // measured from there: start-up (OCR engines loading) is no page's cost.
  double first_page_s = 0;
};

struct IngestOptions {
  std::vector<std::filesystem::path> inputs;  // files or folders (recursive)
  std::filesystem::path db_path;
  std::string unit;          // station's unit code (must exist in the registry)
  std::string station;       // station name, may be empty
  std::string digitized_at;  // ISO date
  int jobs = 1;              // page workers, one Tesseract each
  LoadOptions load;
  // Cut each file into the documents of a scanned stack (SPEC --split).
  SplitMode split = SplitMode::kNone;
  // When set and it becomes true, no new file is started; files in hand
  // are finished and stored (graceful stop).
  const std::atomic<bool>* stop = nullptr;
  // Called from the calling thread as pages and files finish.
  std::function<void(const IngestProgress&)> on_progress;
  // Makes one worker's stage chain, on that worker's thread, once. Empty:
  // PageChain::standard(). A factory that throws fails, with its message,
  // every page its worker takes; the batch goes on.
  std::function<PageChain()> make_chain;
};

// What happened to one input file, or to one document cut from it with
// --split (SPEC `ingest --json` line).
struct FileOutcome {
  std::string source;     // PATH, or PATH#FIRST-LAST for a part of a stack
  std::string file;       // the input file it comes from
  bool file_done = true;  // the last outcome of its input file
  std::string status;     // ok | review | duplicate | failed | skipped
  std::optional<int64_t> id;
  int pages = 0;
  std::string error;  // why it failed or was skipped; empty otherwise
  // The stored document's effective number and type, when it has them (for
  // the per-file line).
  std::string doc_number;
  std::string doc_type;
};

struct IngestSummary {
  int ok = 0;      // stored now, `review` ones included
  int review = 0;  // of `ok`: stored, awaiting a person's look
  int duplicate = 0;
  int failed = 0;
  int skipped = 0;  // files in folders that are not scans (not recorded)
  int pages = 0;
};

using ProblemHandler = std::function<void(const std::filesystem::path&, const std::string&)>;

// Input files under `inputs`: files as given, folders searched recursively in
// name order, hidden entries skipped, symlink loops not followed. Unreadable
// folders and entries are reported through `on_problem`; a folder's files
// that are not scans by content (why_not_a_scan) through `on_skipped`.
std::vector<std::filesystem::path> find_input_files(
    const std::vector<std::filesystem::path>& inputs, const ProblemHandler& on_problem,
    const ProblemHandler& on_skipped = {});

// Runs the whole ingest. `on_outcome` is called from the calling thread once
// per file (once per part with --split; `file_done` on the last) as soon as
// its outcome is final (stored or not). Throws
// storage::StorageError when the database cannot be opened or written.
IngestSummary ingest(const IngestOptions& options,
                     const std::function<void(const FileOutcome&)>& on_outcome);

}  // namespace sohoa::pipeline
