// Orchestration of ingest: finds the input files, runs each through the
// stages on worker threads (one stage chain and one Tesseract per worker), and
// stores the results from one writer. Owns threads and progress; no image
// logic here.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/load.h"
#include "storage/database.h"

namespace sohoa::pipeline {

struct IngestOptions {
  std::vector<std::filesystem::path> inputs;  // files or folders (recursive)
  std::filesystem::path db_path;
  std::string unit;          // station's unit code (must exist in the registry)
  std::string station;       // station name, may be empty
  std::string digitized_at;  // ISO date
  int jobs = 1;
  LoadOptions load;
};

// What happened to one input file (SPEC `ingest --json` line).
struct FileOutcome {
  std::string source;
  std::string status;  // ok | review | duplicate | failed
  std::optional<int64_t> id;
  int pages = 0;
  std::string error;  // empty unless failed
};

struct IngestSummary {
  int ok = 0;
  int duplicate = 0;
  int failed = 0;
  int pages = 0;
};

using ProblemHandler = std::function<void(const std::filesystem::path&, const std::string&)>;

// Input files under `inputs`: files as given, folders searched recursively in
// name order, hidden entries skipped, symlink loops not followed. Unreadable
// folders are reported through `on_problem`.
std::vector<std::filesystem::path> find_input_files(
    const std::vector<std::filesystem::path>& inputs, const ProblemHandler& on_problem);

// Runs the whole ingest. `on_outcome` is called from the calling thread once
// per file as soon as its outcome is final (stored or not). Throws
// storage::StorageError when the database cannot be opened or written.
IngestSummary ingest(const IngestOptions& options,
                     const std::function<void(const FileOutcome&)>& on_outcome);

}  // namespace sohoa::pipeline
