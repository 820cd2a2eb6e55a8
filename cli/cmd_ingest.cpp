// sohoa ingest PATH... --unit CODE: scans in, records out.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "cli/command.h"
#include "pipeline/ingest.h"
#include "pipeline/progress_line.h"
#include "registry/csv_input.h"
#include "web/records_json.h"

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

void print_outcome(const pipeline::FileOutcome& o, const IngestArgs& args) {
  if (o.status == "failed") report_error(o.source + ": " + o.error);
  if (args.json) {
    std::cout << web::ingest_outcome_json(o).dump() << std::endl;
    return;
  }
  if (args.quiet) return;
  std::string id = o.id ? std::to_string(*o.id) : "-";
  std::cout << o.status << "\t" << id << "\t" << o.pages << (o.pages == 1 ? " page\t" : " pages\t")
            << o.source << std::endl;
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
  return options;
}

void check_unit_known(const pipeline::IngestOptions& options) {
  auto db = storage::Database::open(options.db_path);
  if (!db->unit(options.unit)) {
    throw UsageError("unknown unit '" + options.unit +
                     "': import the units registry first (sohoa units import FILE.csv)");
  }
}

// A progress line only for a person watching: on a terminal, not --quiet.
bool shows_progress(const IngestArgs& args) { return !args.quiet && isatty(STDERR_FILENO) == 1; }

int run_ingest(const IngestArgs& args) {
  pipeline::IngestOptions options = ingest_options(args);
  check_unit_known(options);
  std::optional<pipeline::ProgressLine> progress;
  if (shows_progress(args)) {
    progress.emplace(std::cerr);
    options.on_progress = [&](const pipeline::IngestProgress& p) { progress->update(p); };
  }
  pipeline::IngestSummary summary = pipeline::ingest(options, [&](const pipeline::FileOutcome& o) {
    if (progress) progress->clear();
    print_outcome(o, args);
  });
  if (progress) progress->clear();
  if (!args.json && !args.quiet) {
    std::cout << "ingested: " << summary.ok << " stored, " << summary.duplicate << " duplicate, "
              << summary.failed << " failed, " << summary.pages << " pages" << std::endl;
  }
  return summary.failed > 0 ? kPartial : kOk;
}

}  // namespace

void add_ingest_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = root.add_subcommand("ingest", "Read scans and store them as searchable records");
  cmd->footer(
      "Accepts PNG, JPEG, TIFF (multi-page, 1-bit Group 4), WebP and scanned PDF. One file is one\n"
      "document. Files already stored (same bytes) are reported as duplicate; unreadable files "
      "are\n"
      "recorded as failed with the reason and the batch goes on (exit 3); rerunning retries them.\n"
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
  cmd->add_flag("--json", args->json,
                "One JSON line per input file: source, status, id, pages, error");
  cmd->add_flag("--quiet,-q", args->quiet,
                "Print nothing but errors (no progress line, no summary)");
  cmd->callback([args, &action] { action = [args] { return run_ingest(*args); }; });
}

}  // namespace sohoa::cli
