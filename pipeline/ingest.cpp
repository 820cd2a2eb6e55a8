#include "pipeline/ingest.h"

#include <leptonica/allheaders.h>
#include <malloc.h>
#include <vips/vips.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <opencv2/core/utility.hpp>
#include <thread>
#include <variant>

#include "pipeline/documents.h"
#include "pipeline/queue.h"
#include "pipeline/stages/chain.h"
#include "storage/file_hash.h"

namespace sohoa::pipeline {
namespace fs = std::filesystem;

namespace {

bool is_hidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// A link to a folder that contains it would make the walk endless.
bool is_folder_link_loop(const fs::path& link) {
  std::error_code ec;
  fs::path target = fs::canonical(link, ec);
  if (ec) return false;
  fs::path parent = fs::canonical(link.parent_path(), ec);
  if (ec) return false;
  auto [t, p] = std::mismatch(target.begin(), target.end(), parent.begin(), parent.end());
  return t == target.end();
}

void collect_entry(const fs::directory_entry& entry, std::vector<fs::path>& out,
                   const ProblemHandler& on_problem, const ProblemHandler& on_skipped) {
  const fs::path& p = entry.path();
  std::error_code ec;
  if (entry.is_symlink(ec) && is_folder_link_loop(p)) {
    on_problem(p, "symbolic link loop, not followed");
    return;
  }
  bool regular = entry.is_regular_file(ec);
  if (ec) {
    on_problem(p, "cannot read: " + ec.message());
    return;
  }
  if (!regular) return;
  // SPEC: by content, not name; a non-scan in a folder is reported skipped.
  std::string not_scan = why_not_a_scan(p);
  if (!not_scan.empty()) {
    if (on_skipped) on_skipped(p, not_scan);
    return;
  }
  out.push_back(p);
}

// Walks `folder` one level at a time, so that a subfolder that cannot be
// listed (permissions) is reported and the walk goes on with its siblings;
// recursive_directory_iterator either skips it silently or stops. Folder
// links are not followed, so a link loop cannot trap the walk.
void collect_folder(const fs::path& folder, std::vector<fs::path>& out,
                    const ProblemHandler& on_problem, const ProblemHandler& on_skipped) {
  std::error_code ec;
  fs::directory_iterator it(folder, ec), end;
  if (ec) {
    on_problem(folder, "cannot list folder: " + ec.message());
    return;
  }
  std::vector<fs::path> subfolders;
  for (; it != end; it.increment(ec)) {
    if (ec) {
      on_problem(folder, "cannot list folder: " + ec.message());
      break;
    }
    if (is_hidden(it->path())) continue;
    std::error_code type_ec;
    if (!it->is_symlink(type_ec) && it->is_directory(type_ec)) {
      subfolders.push_back(it->path());
      continue;
    }
    collect_entry(*it, out, on_problem, on_skipped);
  }
  std::sort(subfolders.begin(), subfolders.end());
  for (const fs::path& sub : subfolders) collect_folder(sub, out, on_problem, on_skipped);
}

// --- messages between the threads ---

// One page for a worker to load and read. The file's header is shared by
// all its pages; the pixels are decoded by the worker.
struct PageJob {
  size_t file = 0;
  int page = 1;
  std::shared_ptr<const ScanFile> scan;
};

// To the writer: an outcome with nothing to store (duplicate, vanished file).
struct FileSettled {
  FileOutcome outcome;
};
// To the writer: a file that cannot be read as a scan, to record as failed.
struct FileUnreadable {
  size_t file = 0;
  fs::path path;
  std::string sha256;
  std::string error;
};
// To the writer, before any of its pages: a file whose pages are queued.
struct FileOpened {
  size_t file = 0;
  fs::path path;
  std::string sha256;
  int pages = 0;
};
// To the writer: one page read (image dropped), or why it could not be.
struct PageRead {
  size_t file = 0;
  Page page;
  std::string error;
};
using Message = std::variant<FileSettled, FileUnreadable, FileOpened, PageRead>;

FileOutcome outcome_of(const storage::NewDocument& doc, int64_t id) {
  FileOutcome o;
  o.source = doc.source;
  o.status = doc.status;
  o.id = id;
  o.pages = static_cast<int>(doc.pages.size());
  o.error = doc.error;
  for (const storage::Field& f : doc.fields) {
    if (f.name == "doc_number") o.doc_number = f.value;
    if (f.name == "doc_type") o.doc_type = f.value;
  }
  return o;
}

FileOutcome failed_unrecorded(const fs::path& path, const std::string& error) {
  FileOutcome o;
  o.source = path.string();
  o.file = o.source;
  o.status = "failed";
  o.error = error;
  return o;
}

FileOutcome skipped_file(const fs::path& path, const std::string& why) {
  FileOutcome o = failed_unrecorded(path, why);
  o.status = "skipped";
  return o;
}

FileOutcome duplicate_of(const fs::path& path, const storage::Database::Existing& existing) {
  FileOutcome o;
  o.source = path.string();
  o.file = o.source;
  o.status = "duplicate";
  o.id = existing.id;
  o.pages = existing.pages;
  return o;
}

bool is_stored(const std::optional<storage::Database::Existing>& existing) {
  return existing && existing->status != "failed";
}

// Why `file` cannot be read, in the system's words ("Permission denied").
std::string read_error(const fs::path& file, const std::exception& e) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) return std::strerror(errno);
  std::fclose(f);
  return e.what();
}

// The identity of a failed record for a file whose bytes could not be read:
// a SHA-256 has no colon, so it never names stored bytes, and the document
// that stores the file's bytes later takes its place (replaces_failed).
std::string unreadable_key(const fs::path& file) {
  storage::Sha256 sha;
  sha.update(file.string());
  return "unreadable:" + sha.hex();
}

// One line: library messages (OpenCV's among them) end in or hold newlines.
std::string single_line(std::string message) {
  for (char& c : message) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  std::string out;
  for (char c : message) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string page_error(int page, const std::string& message) {
  std::string line = single_line(message);
  if (line.starts_with("page ")) return line;
  return "page " + std::to_string(page) + ": " + line;
}

// Leptonica prints its errors straight to stderr, lines naming no file
// (6-15 of them per page under memory pressure). They are caught per worker
// thread instead, for the page being read.
thread_local std::string* page_library_messages = nullptr;

void catch_leptonica_message(const char* message) {
  if (page_library_messages == nullptr || message == nullptr) return;
  if (page_library_messages->size() > 1000) return;
  if (!page_library_messages->empty()) *page_library_messages += "; ";
  *page_library_messages += single_line(message);
}

bool tells_of_memory(const std::string& messages) {
  return messages.find("alloc") != std::string::npos ||
         messages.find("memory") != std::string::npos;
}

// Hashes each file, skips those already stored, reads the headers of the
// rest and queues their pages. Runs on its own thread with its own database
// connection. `in_flight` holds one token per file not yet stored, so
// finished pages waiting for their siblings stay few.
class Feeder {
 public:
  Feeder(const IngestOptions& options, BoundedQueue<PageJob>& pages,
         BoundedQueue<Message>& messages, BoundedQueue<char>& in_flight)
      : options_(options), pages_(pages), messages_(messages), in_flight_(in_flight) {}

  void run(const std::vector<fs::path>& files) {
    auto db = storage::Database::open(options_.db_path);
    for (size_t i = 0; i < files.size(); ++i) {
      if (options_.stop != nullptr && options_.stop->load()) break;
      if (!feed_file(i, files[i], *db)) break;
    }
  }

 private:
  // False once the writer has closed the queues (fatal error).
  bool feed_file(size_t index, const fs::path& file, storage::Database& db) {
    std::string sha;
    try {
      sha = storage::sha256_of_file(file);
    } catch (const std::exception& e) {
      std::string error = std::string("cannot read file: ") + read_error(file, e);
      // A file that is there but cannot be read (permissions) is recorded
      // failed, so review --queue shows it; a vanished one has no record.
      std::error_code ec;
      if (!fs::exists(file, ec)) return messages_.push(FileSettled{failed_unrecorded(file, error)});
      if (!in_flight_.push('f')) return false;
      return messages_.push(FileUnreadable{index, file, unreadable_key(file), error});
    }
    // Same bytes twice within one batch are both queued; the writer finds the
    // first one stored and reports the second as its duplicate.
    auto existing = db.find_by_sha256(sha);
    if (is_stored(existing)) return messages_.push(FileSettled{duplicate_of(file, *existing)});
    if (options_.split != SplitMode::kNone) {
      if (auto settled = settle_stored_stack(file, sha, db)) return *settled;
    }
    if (!in_flight_.push('f')) return false;
    std::shared_ptr<const ScanFile> scan;
    try {
      scan = std::make_shared<const ScanFile>(file, options_.load);
    } catch (const std::exception& e) {
      return messages_.push(FileUnreadable{index, file, sha, e.what()});
    }
    if (!messages_.push(FileOpened{index, file, sha, scan->page_count()})) return false;
    for (int n = 1; n <= scan->page_count(); ++n) {
      if (!pages_.push(PageJob{index, n, scan})) return false;
    }
    return true;
  }

  // A stack whose parts were all stored by an earlier run: each part is
  // reported duplicate without reading a page. Nullopt when some part is
  // missing (the file is read again; stored parts come out duplicate).
  std::optional<bool> settle_stored_stack(const fs::path& file, const std::string& sha,
                                          storage::Database& db) {
    std::vector<StoredPart> parts = stored_parts(db, sha);
    if (parts.empty()) return std::nullopt;
    int pages = 0;
    try {
      pages = ScanFile(file, options_.load).page_count();
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (!stack_complete(parts, pages)) return std::nullopt;
    for (size_t i = 0; i < parts.size(); ++i) {
      FileOutcome o;
      o.source = file.string() + parts[i].sha256.substr(sha.size());
      o.file = file.string();
      o.file_done = i + 1 == parts.size();
      o.status = "duplicate";
      o.id = parts[i].id;
      o.pages = parts[i].last - parts[i].first + 1;
      if (!messages_.push(FileSettled{o})) return false;
    }
    return true;
  }

  const IngestOptions& options_;
  BoundedQueue<PageJob>& pages_;
  BoundedQueue<Message>& messages_;
  BoundedQueue<char>& in_flight_;
};

PageRead read_page(const PageJob& job, PageChain* chain, const std::string& chain_error) {
  PageRead read;
  read.file = job.file;
  read.page.number = job.page;
  if (chain == nullptr) {
    read.error = page_error(job.page, chain_error);
    return read;
  }
  std::string messages;
  page_library_messages = &messages;
  try {
    read.page = chain->run(job.scan->load_page(job.page));
    // The writer needs only what OCR learned; pixels would pile up.
    read.page.image.release();
  } catch (const std::exception& e) {
    read.error = page_error(job.page, e.what());
  }
  page_library_messages = nullptr;
  // A page whose images could not be allocated comes out with no words: it
  // failed, it was not read blank.
  if (read.error.empty() && tells_of_memory(messages)) {
    read.error = page_error(job.page, "out of memory (Leptonica: " + messages + ")");
  } else if (!read.error.empty() && !messages.empty()) {
    read.error += " (Leptonica: " + messages + ")";
  }
  return read;
}

// One worker: its own stage chain (and Tesseract), pages from any file.
void work(BoundedQueue<PageJob>& pages, BoundedQueue<Message>& messages,
          const std::function<PageChain()>& make_chain) {
  std::unique_ptr<PageChain> chain;
  std::string chain_error;
  try {
    chain = std::make_unique<PageChain>(make_chain ? make_chain() : PageChain::standard());
  } catch (const std::exception& e) {
    // A worker that cannot start (no OCR data) fails the pages it takes.
    chain_error = e.what();
  }
  while (auto job = pages.pop()) {
    if (!messages.push(read_page(*job, chain.get(), chain_error))) break;
    // The page's buffers, free now, go back to the system rather than stay
    // in the heap between pages (see prepare_process_for_page_workers).
    malloc_trim(0);
  }
}

// A file whose pages are on their way to the writer.
struct PendingDocument {
  fs::path path;
  std::string sha256;
  std::vector<Page> pages;  // indexed by page number - 1
  int received = 0;
  std::string error;  // first page error, in page order
  int error_page = 0;
};

bool is_busy(const std::exception& e) {
  std::string what = e.what();
  return what.find("locked") != std::string::npos || what.find("busy") != std::string::npos;
}

// The single writer: assembles documents from their pages, extracts their
// metadata, archives and stores each in one transaction.
class Writer {
 public:
  // `header_pages`: each input file's page count by its header (absent or
  // 0: it could not be opened), the run's page total shown from the start.
  Writer(const IngestOptions& options, int files_total, std::map<std::string, int> header_pages)
      : options_(options),
        db_(storage::Database::open(options.db_path)),
        units_(db_->units()),
        extractor_(units_),
        started_(std::chrono::steady_clock::now()),
        header_pages_(std::move(header_pages)) {
    progress_.files_total = files_total;
    for (const auto& [file, pages] : header_pages_) pages_to_read_ += pages;
  }

  // Returns the final outcomes (one per document) once a file is complete.
  std::optional<std::vector<FileOutcome>> take(Message& message) {
    if (auto* settled = std::get_if<FileSettled>(&message)) {
      if (settled->outcome.file_done) settle_unread(settled->outcome.file);
      return std::vector<FileOutcome>{settled->outcome};
    }
    if (auto* unreadable = std::get_if<FileUnreadable>(&message)) {
      settle_unread(unreadable->path.string());
      storage::NewDocument doc = document_shell(unreadable->path, unreadable->sha256);
      mark_failed(doc, unreadable->error);
      FileOutcome outcome = store(doc, unreadable->path);
      outcome.file = unreadable->path.string();
      return std::vector<FileOutcome>{outcome};
    }
    if (auto* opened = std::get_if<FileOpened>(&message)) {
      open(*opened);
      return std::nullopt;
    }
    return add_page(std::get<PageRead>(message));
  }

  void count(const FileOutcome& outcome, IngestSummary& summary) {
    if (outcome.status == "failed")
      ++summary.failed;
    else if (outcome.status == "duplicate")
      ++summary.duplicate;
    else
      ++summary.ok;
    if (outcome.status == "review") ++summary.review;
    summary.pages += outcome.status == "duplicate" ? 0 : outcome.pages;
    if (outcome.file_done) ++progress_.files_done;
  }

  void report_progress() {
    if (!options_.on_progress) return;
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
    progress_.elapsed_s = elapsed.count();
    // Known from the files' headers before the first page (issue 18.9); it
    // only drops by the pages of a file found stored already or unreadable.
    progress_.pages_expected = pages_to_read_;
    progress_.pages_estimated = false;
    if (progress_.pages_done > 0 && progress_.first_page_s == 0) {
      progress_.first_page_s = progress_.elapsed_s;
    }
    options_.on_progress(progress_);
  }

 private:
  storage::NewDocument document_shell(const fs::path& path, const std::string& sha256) const {
    storage::NewDocument doc;
    doc.sha256 = sha256;
    doc.archive_sha256 = sha256;
    doc.source = path.string();
    doc.station = options_.station;
    doc.unit = options_.unit;
    doc.issuer_unit = options_.unit;
    doc.digitized_at = options_.digitized_at;
    return doc;
  }

  static void mark_failed(storage::NewDocument& doc, const std::string& error) {
    doc.pages.clear();
    doc.fields.clear();
    doc.review_reasons.clear();
    doc.status = "failed";
    doc.error = error;
  }

  void open(const FileOpened& opened) {
    PendingDocument pending{opened.path, opened.sha256, {}, 0, {}, 0};
    pending.pages.resize(static_cast<size_t>(opened.pages));
    pending_.emplace(opened.file, std::move(pending));
    // The header read again now: the count to trust, should the file have
    // changed since it was counted.
    pages_to_read_ += opened.pages - header_pages_of(opened.path.string());
  }

  // A file settled without its pages being read: they are none to wait for.
  void settle_unread(const std::string& file) { pages_to_read_ -= header_pages_of(file); }

  // The file's counted pages, once: 0 for one not counted or already settled.
  int header_pages_of(const std::string& file) {
    auto it = header_pages_.find(file);
    if (it == header_pages_.end()) return 0;
    int pages = it->second;
    header_pages_.erase(it);
    return pages;
  }

  std::optional<std::vector<FileOutcome>> add_page(PageRead& read) {
    auto it = pending_.find(read.file);
    if (it == pending_.end()) return std::nullopt;  // cannot happen: opened first
    PendingDocument& pending = it->second;
    int number = read.page.number;
    if (!read.error.empty() && (pending.error_page == 0 || number < pending.error_page)) {
      pending.error = read.error;
      pending.error_page = number;
    }
    pending.pages[static_cast<size_t>(number - 1)] = std::move(read.page);
    ++pending.received;
    ++progress_.pages_done;
    if (pending.received < static_cast<int>(pending.pages.size())) return std::nullopt;
    std::vector<storage::NewDocument> docs = assemble(pending);
    fs::path path = pending.path;
    pending_.erase(it);
    std::vector<FileOutcome> outcomes;
    // Parts are stored in page order: a rerun after a kill knows the stack
    // is complete once its last part is stored.
    for (auto& doc : docs) outcomes.push_back(store(doc, path));
    if (outcomes.empty()) {
      outcomes.push_back(
          failed_unrecorded(path, "no document: the file holds separator sheets only"));
    }
    for (auto& o : outcomes) {
      o.file = path.string();
      o.file_done = false;
    }
    outcomes.back().file_done = true;
    return outcomes;
  }

  // The documents of a file whose pages are all read: the whole file, or
  // the parts of a stack with --split.
  std::vector<storage::NewDocument> assemble(const PendingDocument& pending) const {
    FileContext file{pending.path.string(), pending.sha256, options_.station, options_.unit,
                     options_.digitized_at};
    if (pending.error.empty()) {
      try {
        return file_documents(file, pending.pages, options_.split, extractor_);
      } catch (const std::exception& e) {
        storage::NewDocument doc = pipeline::document_shell(file);
        mark_failed(doc, std::string("metadata extraction: ") + e.what());
        return {doc};
      }
    }
    storage::NewDocument doc = pipeline::document_shell(file);
    mark_failed(doc, pending.error);
    return {doc};
  }

  std::string level_of(const std::string& code) const {
    for (const auto& u : units_) {
      if (u.code == code) return u.level;
    }
    return {};
  }

  // Archives the original, then stores the document in one transaction. A
  // kill in between leaves only an archived file, which the rerun finds.
  // Another process storing the same file first makes this a duplicate; a
  // write lock held past the busy timeout is waited out a few times.
  FileOutcome store(storage::NewDocument& doc, const fs::path& original) {
    doc.level = level_of(doc.issuer_unit);
    std::string placeholder = unreadable_key(original);
    if (doc.sha256 != placeholder) doc.replaces_failed = placeholder;
    for (int attempt = 1;; ++attempt) {
      try {
        auto existing = db_->find_by_sha256(doc.sha256);
        if (is_stored(existing)) return duplicate_of(doc.source, *existing);
        archive(doc, original);
        return outcome_of(doc, db_->store_document(doc));
      } catch (const storage::StorageError& e) {
        if (attempt >= kStoreAttempts || !is_busy(e)) {
          auto existing = db_->find_by_sha256(doc.sha256);
          if (is_stored(existing)) return duplicate_of(doc.source, *existing);
          // "database or disk is full" alone does not say which input was
          // being stored when it stopped.
          throw storage::StorageError(single_line(doc.source) + ": not stored: " + e.what());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
      }
    }
  }

  // The original into the archive. A file written to while it was read
  // (a scanner still saving it) has pages and a hash of different bytes:
  // the document is recorded failed, with no archived copy, so the next
  // ingest reads the finished file again.
  void archive(storage::NewDocument& doc, const fs::path& original) const {
    std::error_code ec;
    if (doc.sha256.starts_with("unreadable:") || !fs::is_regular_file(original, ec)) return;
    try {
      db_->put_original(original, doc.archive_sha256);
    } catch (const storage::SourceChanged&) {
      mark_failed(doc,
                  "file changed while it was being ingested; ingest it again once it is complete");
    }
  }

  static constexpr int kStoreAttempts = 5;

  const IngestOptions& options_;
  std::unique_ptr<storage::Database> db_;
  std::vector<storage::Unit> units_;
  metadata::MetadataExtractor extractor_;
  std::map<size_t, PendingDocument> pending_;
  IngestProgress progress_;
  std::chrono::steady_clock::time_point started_;
  std::map<std::string, int> header_pages_;  // files not yet opened or settled
  int pages_to_read_ = 0;
};

// Decoded pages are large (8.7 MB at 300 dpi A4) and short-lived, and
// Tesseract, Leptonica and OpenCV make several page-sized copies each. Few
// arenas, and each worker handing its freed pages back after every page
// (work()), keep peak memory from growing with the batch. Forcing such
// buffers into fresh mappings did that too, but their page faults and
// unmaps cost 18% more CPU with two workers.
//
// A worker is one core's worth: OpenCV's and libvips' own thread pools
// would only contend with the other workers (OpenCV's TBB workers cost 4%
// more CPU and time under --jobs 2), and `--jobs N` then means N cores, so
// a station can keep a core free for its scanner. Tesseract's OpenMP threads
// are limited the same way, by OMP_THREAD_LIMIT before start (cli/main.cpp).
void prepare_process_for_page_workers() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_ARENA_MAX, 2);
    leptSetStderrHandler(catch_leptonica_message);
    cv::setNumThreads(1);
    vips_concurrency_set(1);
  });
}

bool completes_a_file(const Message& message) {
  return !std::holds_alternative<FileOpened>(message) &&
         !std::holds_alternative<FileSettled>(message);
}

}  // namespace

std::vector<fs::path> find_input_files(const std::vector<fs::path>& inputs,
                                       const ProblemHandler& on_problem,
                                       const ProblemHandler& on_skipped) {
  std::vector<fs::path> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<fs::path> found;
      collect_folder(input, found, on_problem, on_skipped);
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

// Each file's page count read from its header (what ScanFile reads anyway;
// no page is decoded), keyed by path, for the progress line's total; empty
// when no progress is shown. A file that cannot be opened counts 0.
std::map<std::string, int> header_page_counts(const std::vector<fs::path>& files,
                                              const IngestOptions& options) {
  std::map<std::string, int> counts;
  if (!options.on_progress) return counts;
  for (const auto& file : files) {
    try {
      counts[file.string()] = ScanFile(file, options.load).page_count();
    } catch (const std::exception&) {
      counts[file.string()] = 0;
    }
  }
  return counts;
}

IngestSummary ingest(const IngestOptions& options,
                     const std::function<void(const FileOutcome&)>& on_outcome) {
  prepare_process_for_page_workers();
  IngestSummary summary;
  std::vector<FileOutcome> problems;
  std::vector<FileOutcome> skipped;
  std::vector<fs::path> files = find_input_files(
      options.inputs,
      [&](const fs::path& path, const std::string& problem) {
        problems.push_back(failed_unrecorded(path, problem));
      },
      [&](const fs::path& path, const std::string& why) {
        skipped.push_back(skipped_file(path, why));
      });
  Writer writer(options, static_cast<int>(files.size()), header_page_counts(files, options));
  for (const auto& problem : problems) {
    ++summary.failed;
    on_outcome(problem);
  }
  std::sort(skipped.begin(), skipped.end(),
            [](const FileOutcome& a, const FileOutcome& b) { return a.source < b.source; });
  for (const auto& skip : skipped) {
    ++summary.skipped;
    on_outcome(skip);
  }

  const size_t workers = static_cast<size_t>(std::max(1, options.jobs));
  // Small queues: a page job is only a reference, and a finished page only
  // its text, but each queued page is one more decoded image in a worker.
  BoundedQueue<PageJob> pages(workers);
  BoundedQueue<Message> messages(workers * 4);
  BoundedQueue<char> in_flight(workers * 2 + 2);
  std::atomic<size_t> producers{workers + 1};
  auto producer_done = [&] {
    if (--producers == 0) messages.close();
  };

  std::exception_ptr feeder_error;
  std::thread feeder([&] {
    try {
      Feeder(options, pages, messages, in_flight).run(files);
    } catch (...) {
      feeder_error = std::current_exception();
    }
    pages.close();
    producer_done();
  });
  std::vector<std::thread> pool;
  for (size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      work(pages, messages, options.make_chain);
      producer_done();
    });
  }

  std::exception_ptr fatal;
  while (auto message = messages.pop()) {
    if (fatal) continue;  // drain so the threads can finish
    try {
      bool completing = completes_a_file(*message);
      std::optional<std::vector<FileOutcome>> outcomes = writer.take(*message);
      if (outcomes) {
        if (completing) in_flight.pop();
        for (const FileOutcome& outcome : *outcomes) {
          writer.count(outcome, summary);
          on_outcome(outcome);
        }
      }
      writer.report_progress();
    } catch (...) {
      fatal = std::current_exception();
      pages.close();
      in_flight.close();
    }
  }
  feeder.join();
  for (auto& t : pool) t.join();
  if (fatal) std::rethrow_exception(fatal);
  if (feeder_error) std::rethrow_exception(feeder_error);
  return summary;
}

}  // namespace sohoa::pipeline
