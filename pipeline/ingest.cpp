#include "pipeline/ingest.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <variant>

#include "pipeline/chain.h"
#include "pipeline/file_hash.h"
#include "pipeline/queue.h"

namespace sohoa::pipeline {
namespace fs = std::filesystem;

namespace {

bool is_hidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

void collect_folder(const fs::path& folder, std::vector<fs::path>& out,
                    const ProblemHandler& on_problem) {
  std::error_code ec;
  auto options = fs::directory_options::skip_permission_denied;
  fs::recursive_directory_iterator it(folder, options, ec), end;
  if (ec) {
    on_problem(folder, "cannot list folder: " + ec.message());
    return;
  }
  // Directory symlinks are not followed (the iterator's default), so a
  // symlink loop cannot trap the walk.
  for (; it != end; it.increment(ec)) {
    if (ec) {
      on_problem(folder, ec.message());
      ec.clear();
      continue;
    }
    const fs::path& p = it->path();
    if (is_hidden(p)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && is_scan_file(p)) out.push_back(p);
  }
}

struct Job {
  fs::path path;
  std::string sha256;
};

// The writer receives either a finished outcome (nothing to store) or a
// document to store.
struct Stored {
  storage::NewDocument doc;
};
using Result = std::variant<FileOutcome, Stored>;

FileOutcome outcome_of(const storage::NewDocument& doc, int64_t id) {
  FileOutcome o;
  o.source = doc.source;
  o.status = doc.status;
  o.id = id;
  o.pages = static_cast<int>(doc.pages.size());
  o.error = doc.error;
  return o;
}

FileOutcome failed_unrecorded(const fs::path& path, const std::string& error) {
  FileOutcome o;
  o.source = path.string();
  o.status = "failed";
  o.error = error;
  return o;
}

FileOutcome duplicate_of(const fs::path& path, const storage::Database::Existing& existing) {
  FileOutcome o;
  o.source = path.string();
  o.status = "duplicate";
  o.id = existing.id;
  o.pages = existing.pages;
  return o;
}

// Hashes each file and skips those already stored; feeds the rest to the
// workers. Runs on its own thread with its own database connection.
void feed_jobs(const std::vector<fs::path>& files, const fs::path& db_path, BoundedQueue<Job>& jobs,
               BoundedQueue<Result>& results) {
  auto db = storage::Database::open(db_path);
  for (const auto& file : files) {
    std::string sha;
    try {
      sha = sha256_of_file(file);
    } catch (const std::exception& e) {
      results.push(failed_unrecorded(file, std::string("cannot read file: ") + e.what()));
      continue;
    }
    // Same bytes twice within one batch are both queued; the writer finds the
    // first one stored and reports the second as its duplicate.
    auto existing = db->find_by_sha256(sha);
    if (existing && existing->status != "failed") {
      results.push(duplicate_of(file, *existing));
      continue;
    }
    if (!jobs.push(Job{file, sha})) break;
  }
}

std::string level_of(const std::map<std::string, storage::Unit>& units, const std::string& code) {
  auto it = units.find(code);
  return it == units.end() ? std::string() : it->second.level;
}

}  // namespace

std::vector<fs::path> find_input_files(const std::vector<fs::path>& inputs,
                                       const ProblemHandler& on_problem) {
  std::vector<fs::path> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<fs::path> found;
      collect_folder(input, found, on_problem);
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      // A named file is taken whatever its extension: the loader says
      // whether it is a scan.
      files.push_back(input);
    }
  }
  return files;
}

IngestSummary ingest(const IngestOptions& options,
                     const std::function<void(const FileOutcome&)>& on_outcome) {
  auto db = storage::Database::open(options.db_path);
  storage::Archive archive = storage::Archive::beside(options.db_path);
  std::map<std::string, storage::Unit> units;
  std::vector<storage::Unit> unit_list = db->units();
  for (const auto& u : unit_list) units[u.code] = u;
  const MetadataExtractor extractor(unit_list);

  IngestSummary summary;
  std::vector<fs::path> files =
      find_input_files(options.inputs, [&](const fs::path& path, const std::string& problem) {
        ++summary.failed;
        on_outcome(failed_unrecorded(path, problem));
      });

  const int workers = std::max(1, options.jobs);
  BoundedQueue<Job> jobs(static_cast<size_t>(workers));
  BoundedQueue<Result> results(static_cast<size_t>(workers) * 2);

  std::exception_ptr feeder_error;
  std::thread feeder([&] {
    try {
      feed_jobs(files, options.db_path, jobs, results);
    } catch (...) {
      feeder_error = std::current_exception();
    }
    jobs.close();
  });

  std::vector<std::thread> pool;
  std::atomic<int> running{workers};
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      try {
        PageChain chain = PageChain::standard();
        while (auto job = jobs.pop()) {
          DocumentContext ctx{job->sha256, job->path.string(), options.station, options.unit,
                              options.digitized_at};
          results.push(Stored{read_document(job->path, ctx, chain, extractor, options.load)});
        }
      } catch (const std::exception& e) {
        // A worker that cannot start (no OCR data) fails what is left.
        while (auto job = jobs.pop()) results.push(failed_unrecorded(job->path, e.what()));
      }
      if (--running == 0) results.close();
    });
  }

  std::exception_ptr fatal;
  while (auto result = results.pop()) {
    if (fatal) continue;  // drain so the threads can finish
    FileOutcome outcome;
    if (auto* done = std::get_if<FileOutcome>(&*result)) {
      outcome = *done;
    } else {
      storage::NewDocument& doc = std::get<Stored>(*result).doc;
      try {
        auto existing = db->find_by_sha256(doc.sha256);
        if (existing && existing->status != "failed") {
          outcome = duplicate_of(doc.source, *existing);
        } else {
          doc.level = level_of(units, doc.issuer_unit);
          std::error_code ec;
          if (fs::exists(doc.source, ec)) archive.put(doc.source, doc.archive_sha256);
          outcome = outcome_of(doc, db->store_document(doc));
        }
      } catch (...) {
        fatal = std::current_exception();
        jobs.close();
        continue;
      }
    }
    if (outcome.status == "failed")
      ++summary.failed;
    else if (outcome.status == "duplicate")
      ++summary.duplicate;
    else
      ++summary.ok;
    summary.pages += outcome.status == "duplicate" ? 0 : outcome.pages;
    on_outcome(outcome);
  }
  feeder.join();
  for (auto& t : pool) t.join();
  if (fatal) std::rethrow_exception(fatal);
  if (feeder_error) std::rethrow_exception(feeder_error);
  return summary;
}

}  // namespace sohoa::pipeline
