// sohoa watch DIR --unit CODE: a scanning station's hot folder.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/command.h"
#include "pipeline/watch.h"

namespace sohoa::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void request_stop(int) { g_stop.store(true); }

// Without SA_RESTART, so the wait for folder events wakes up at once.
void stop_on_signals() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

struct WatchArgs {
  std::filesystem::path db;
  std::string dir;
  std::string unit;
  int jobs = 0;
  double settle = 5;
  std::string station;
  std::string split = "none";
  std::string model;  // "" (best where installed), "fast" or "best"
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

pipeline::WatchOptions watch_options(const WatchArgs& args) {
  if (args.unit.empty()) throw UsageError("--unit CODE (or $SOHOA_UNIT) is required");
  if (!std::filesystem::is_directory(args.dir)) throw UsageError(args.dir + ": not a folder");
  pipeline::WatchOptions options;
  options.dir = args.dir;
  options.settle_s = args.settle;
  options.stop = &g_stop;
  pipeline::IngestOptions& ingest = options.ingest;
  ingest.db_path = args.db;
  ingest.unit = args.unit;
  ingest.split = pipeline::parse_split_mode(args.split);
  ingest.station = args.station.empty() ? env_or("SOHOA_STATION", host_name()) : args.station;
  unsigned cores = std::thread::hardware_concurrency();
  ingest.jobs = args.jobs > 0 ? args.jobs : static_cast<int>(cores == 0 ? 1 : cores);
  ocr::ReaderOptions reader;
  try {
    reader = ocr::reader_options_for_model(args.model);
  } catch (const ocr::OcrError& e) {
    throw UsageError(e.what());
  }
  ingest.make_chain = [reader] { return pipeline::PageChain::standard(reader); };
  return options;
}

void check_unit_known(const pipeline::WatchOptions& options) {
  auto db = storage::Database::open(options.ingest.db_path);
  if (!db->unit(options.ingest.unit)) {
    throw UsageError("unknown unit '" + options.ingest.unit +
                     "': import the units registry first (sohoa units import FILE.csv)");
  }
}

// One line per file, as it is filed away; a service's journal keeps them.
void print_outcome(const pipeline::FileOutcome& o) {
  if (!o.error.empty()) report_error(o.source + ": " + o.error);
  std::string id = o.id ? std::to_string(*o.id) : "-";
  std::cout << (o.status == "review" ? "ok" : o.status) << "\t" << id << "\t" << o.pages
            << (o.pages == 1 ? " page\t" : " pages\t") << printable(o.source) << std::endl;
}

int run_watch(const WatchArgs& args) {
  pipeline::WatchOptions options = watch_options(args);
  check_unit_known(options);
  stop_on_signals();
  std::cerr << "sohoa: watching " << args.dir << " (settle " << args.settle
            << " s); stop with Ctrl+C or SIGTERM" << std::endl;
  pipeline::watch(options, print_outcome);
  return kOk;
}

}  // namespace

void add_watch_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<WatchArgs>();
  CLI::App* cmd = root.add_subcommand("watch", "Ingest scans as they appear in a hot folder");
  cmd->footer(
      "A file is ingested once its size has not changed for --settle seconds, then moved to\n"
      "DIR/done/ (stored or duplicate) or DIR/failed/ with NAME.error.txt beside it. Only files\n"
      "directly in DIR are taken. SIGINT/SIGTERM finish the files in hand, then exit 0.\n"
      "--split separator|auto cuts each file as a stack (see ingest --help); the file moves\n"
      "once all its parts are stored.\n"
      "Example: sohoa watch /srv/scans --unit 22222 --station hoa-dong-1");
  add_db_option(*cmd, args->db);
  cmd->add_option("DIR", args->dir, "Hot folder the scanner writes into")->required();
  args->unit = env_or("SOHOA_UNIT", "");
  cmd->add_option("--unit", args->unit,
                  "Code of the scanning station's unit (default $SOHOA_UNIT); must be in the units "
                  "registry");
  cmd->add_option("--jobs", args->jobs,
                  "Pages read at once, each by one OCR engine on one core (default: number of "
                  "cores; fewer leaves cores free for other work)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--settle", args->settle,
                  "Seconds a file's size must stay unchanged before it is read")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  cmd->add_option("--station", args->station,
                  "Name of the scanning station (default $SOHOA_STATION, else the host name)");
  cmd->add_option("--split", args->split, "Cut each file as a scanned stack: separator|auto|none")
      ->check(CLI::IsMember({"separator", "auto", "none"}))
      ->capture_default_str();
  cmd->add_option(
         "--model", args->model,
         "Vietnamese OCR model: best (tessdata_best, installed by scripts/install-deps) or fast "
         "(Debian's tesseract-ocr-vie); default best where installed")
      ->check(CLI::IsMember({"fast", "best"}));
  cmd->callback([args, &action] { action = [args] { return run_watch(*args); }; });
}

}  // namespace sohoa::cli
