// sohoa ingest PATH... --unit CODE: scans in, records out.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "cli/command.h"
#include "pipeline/ingest.h"
#include "pipeline/progress_line.h"
#include "registry/csv_input.h"

namespace sohoa::cli {
namespace {

struct IngestArgs {
  std::filesystem::path db;
  std::vector<std::string> paths;
  std::string unit;
  int jobs = 0;
  std::string digitized_at;
  std::string station;
  std::string split = "none";
  std::string model;  // "" (best where installed), "fast" or "best"
  bool json = false;
  bool quiet = false;
};

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "station";
  return buf;
}

nlohmann::ordered_json outcome_json(const pipeline::FileOutcome& o) {
  // SPEC: `ok` = stored now, whether or not it awaits review.
  std::string status = o.status == "review" ? "ok" : o.status;
  return {{"source", o.source},
          {"status", status},
          {"id", o.id ? nlohmann::ordered_json(*o.id) : nlohmann::ordered_json(nullptr)},
          {"pages", o.pages},
          {"error",
           o.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(o.error)}};
}

std::string dash(const std::string& s) { return s.empty() ? std::string("-") : s; }

// One tab-separated line per file: status, id, pages, source, then the
// document's number and type (or why it was not stored).
void print_outcome(const pipeline::FileOutcome& o, const IngestArgs& args) {
  if (o.status == "failed") report_error(o.source + ": " + o.error);
  if (args.json) {
    std::cout << json_line(outcome_json(o)) << std::endl;
    return;
  }
  if (args.quiet) return;
  std::string id = o.id ? std::to_string(*o.id) : "-";
  std::cout << o.status << "\t" << id << "\t" << o.pages << (o.pages == 1 ? " page\t" : " pages\t")
            << printable(o.source);
  if (o.status == "skipped") {
    std::cout << "\t" << o.error;
  } else if (o.status != "failed") {
    std::cout << "\t" << dash(o.doc_number) << "\t" << dash(o.doc_type);
  }
  std::cout << std::endl;
}

pipeline::IngestOptions ingest_options(const IngestArgs& args) {
  if (args.unit.empty()) throw UsageError("--unit CODE (or $SOHOA_UNIT) is required");
  pipeline::IngestOptions options;
  for (const auto& p : args.paths) options.inputs.emplace_back(p);
  options.db_path = args.db;
  options.unit = args.unit;
  options.split = pipeline::parse_split_mode(args.split);
  options.station = args.station.empty() ? env_or("SOHOA_STATION", host_name()) : args.station;
  options.digitized_at = registry::today_iso();
  if (!args.digitized_at.empty()) {
    auto date = registry::parse_date(args.digitized_at);
    if (!date) {
      throw UsageError("--digitized-at: '" + args.digitized_at + "' is not a date (YYYY-MM-DD)");
    }
    options.digitized_at = *date;
  }
  unsigned cores = std::thread::hardware_concurrency();
  options.jobs = args.jobs > 0 ? args.jobs : static_cast<int>(cores == 0 ? 1 : cores);
  ocr::ReaderOptions reader;
  try {
    reader = ocr::reader_options_for_model(args.model);
  } catch (const ocr::OcrError& e) {
    throw UsageError(e.what());
  }
  options.make_chain = [reader] { return pipeline::PageChain::standard(reader); };
  return options;
}

void check_unit_known(const pipeline::IngestOptions& options) {
  auto db = storage::Database::open(options.db_path);
  require_known_unit(*db, options.unit);
}

// SPEC: an input path that does not exist is bad usage (exit 1), found
// before anything is read or stored.
void check_inputs_exist(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) throw UsageError(p + ": no such file or folder");
  }
}

// A progress line only for a person watching: on a terminal, not --quiet.
bool shows_progress(const IngestArgs& args) { return !args.quiet && isatty(STDERR_FILENO) == 1; }

// Redrawn in place only when stdout shares the terminal; piped (`| tee`),
// whole lines (see ProgressLine).
bool progress_in_place() { return isatty(STDOUT_FILENO) == 1; }

// What each folder given held, so an empty one (or one without scans) can
// be named: a mistyped folder should not look like a quiet success.
class FolderTally {
 public:
  explicit FolderTally(const std::vector<std::string>& paths) {
    for (const auto& p : paths) {
      std::error_code ec;
      if (std::filesystem::is_directory(p, ec)) folders_.push_back({p, 0, 0});
    }
  }
  void count(const pipeline::FileOutcome& o) {
    const std::string& file = o.file.empty() ? o.source : o.file;
    for (auto& f : folders_) {
      std::string prefix = f.path.ends_with("/") ? f.path : f.path + "/";
      if (!file.starts_with(prefix)) continue;
      (o.status == "skipped" ? f.skipped : f.scans) += 1;
    }
  }
  void report() const {
    for (const auto& f : folders_) {
      if (f.scans > 0) continue;
      report_error(f.path + ": no scans in this folder" +
                   (f.skipped > 0
                        ? " (" + std::to_string(f.skipped) + (f.skipped == 1 ? " file" : " files") +
                              " skipped: not an image or PDF)"
                        : " (it holds no files)"));
    }
  }

 private:
  struct Folder {
    std::string path;
    int scans = 0;
    int skipped = 0;
  };
  std::vector<Folder> folders_;
};

void print_summary(const pipeline::IngestSummary& summary) {
  std::cout << "ingested: " << summary.ok << " stored";
  if (summary.review > 0) {
    std::cout << " (" << summary.review << (summary.review == 1 ? " awaits" : " await")
              << " review: sohoa review --queue)";
  }
  std::cout << ", " << summary.duplicate << " duplicate, " << summary.failed << " failed";
  if (summary.skipped > 0) std::cout << ", " << summary.skipped << " skipped";
  std::cout << ", " << summary.pages << " pages" << std::endl;
}

int run_ingest(const IngestArgs& args) {
  check_inputs_exist(args.paths);
  pipeline::IngestOptions options = ingest_options(args);
  check_unit_known(options);
  std::optional<pipeline::ProgressLine> progress;
  if (shows_progress(args)) {
    progress.emplace(std::cerr, progress_in_place());
    options.on_progress = [&](const pipeline::IngestProgress& p) { progress->update(p); };
  }
  FolderTally folders(args.paths);
  pipeline::IngestSummary summary = pipeline::ingest(options, [&](const pipeline::FileOutcome& o) {
    if (progress) progress->clear();
    folders.count(o);
    print_outcome(o, args);
  });
  if (progress) progress->clear();
  folders.report();
  if (!args.json && !args.quiet) print_summary(summary);
  return summary.failed > 0 ? kPartial : kOk;
}

}  // namespace

void add_ingest_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = root.add_subcommand("ingest", "Read scans and store them as searchable records");
  cmd->footer(
      "Accepts PNG, JPEG, TIFF (multi-page, 1-bit Group 4), WebP and PDF. One file is one\n"
      "document. A PDF page with real text (a law downloaded from the web) is read from that text\n"
      "(show --json: pages[].text_source \"pdf\"); a scanned page, even with an old text layer,\n"
      "by OCR. PDFs with only an owner password (e-office copies) are read; a user password fails.\n"
      "Files already stored (same bytes) are reported as duplicate; unreadable files are\n"
      "recorded as failed with the reason and the batch goes on (exit 3); rerunning retries them.\n"
      "In folders, files that are not images or PDFs (by content) are reported skipped.\n"
      "A PATH that does not exist is bad usage (exit 1, nothing read).\n"
      "Lines: STATUS ID PAGES SOURCE NUMBER TYPE (tab-separated); `review` = stored, awaiting a\n"
      "person's look (sohoa review --queue).\n"
      "Originals are archived byte for byte beside the database, in <db>.files/.\n"
      "--split separator cuts a stack at separator sheets (QR/barcode SOHOA-SEPARATOR or PATCHT;\n"
      "print one with `sohoa separator --out sheet.pdf`), dropping them; --split auto also cuts\n"
      "before every page that opens a document (national name, motto and \"Số:\" at its head).\n"
      "Each part is stored as PATH#FIRST-LAST.\n"
      "Example: sohoa ingest scans/ --unit hoa-dong --json");
  add_db_option(*cmd, args->db);
  cmd->add_option("PATH", args->paths,
                  "Scan files or folders (searched recursively, hidden skipped)")
      ->required();
  args->unit = env_or("SOHOA_UNIT", "");
  cmd->add_option("--unit", args->unit,
                  "Code of the scanning station's unit (default $SOHOA_UNIT); must be in the units "
                  "registry");
  cmd->add_option("--jobs", args->jobs,
                  "Pages read at once, each by one OCR engine on one core (default: number of "
                  "cores; fewer leaves cores free for other work)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--digitized-at", args->digitized_at,
                  "Digitization date to record, YYYY-MM-DD (default: today)");
  cmd->add_option("--station", args->station,
                  "Name of the scanning station (default $SOHOA_STATION, else the host name)");
  cmd->add_option("--split", args->split, "Cut a scanned stack into documents: separator|auto|none")
      ->check(CLI::IsMember({"separator", "auto", "none"}))
      ->capture_default_str();
  cmd->add_option(
         "--model", args->model,
         "Vietnamese OCR model: best (tessdata_best, installed by scripts/install-deps) or fast "
         "(Debian's tesseract-ocr-vie); default best where installed")
      ->check(CLI::IsMember({"fast", "best"}));
  cmd->add_flag("--json", args->json,
                "One JSON line per input file: source, status (ok|duplicate|failed|skipped), id, "
                "pages, error");
  cmd->add_flag("--quiet,-q", args->quiet,
                "Print nothing but errors (no progress line, no summary)");
  cmd->callback([args, &action] { action = [args] { return run_ingest(*args); }; });
}

}  // namespace sohoa::cli
