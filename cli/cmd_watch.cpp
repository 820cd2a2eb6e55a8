// sohoa watch DIR --unit CODE: a scanning station's hot folder.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/command.h"
#include "pipeline/station_sync.h"
#include "pipeline/watch.h"
#include "storage/postgres_database.h"

namespace sohoa::cli {
namespace {

std::atomic<bool> g_stop{false};

// Says at once that the stop was heard: finishing a long file can take
// minutes, and silence then looks like a hang. (write(2) is safe in a
// signal handler; iostreams are not.)
extern "C" void request_stop(int) {
  if (!g_stop.exchange(true)) {
    static const char kMessage[] =
        "sohoa: stopping: finishing the file in hand, then exiting (it is not lost)\n";
    ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    (void)ignored;
  }
}

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
  bool recursive = false;
  bool json = false;
  std::string sync_to;  // central store URL, or empty
};

// `watch --sync-to URL`: after each batch the station's new documents go to
// the central store. While the link is down the sync is retried with
// backoff (5 s doubling to 5 min), also when no new file comes.
class SyncAfterBatches {
 public:
  SyncAfterBatches(std::filesystem::path db, std::string url)
      : db_(std::move(db)), url_(std::move(url)) {}

  void operator()(bool ingested) {
    if (ingested) pending_ = true;
    if (!pending_ || Clock::now() < next_try_) return;
    pipeline::SyncOptions options;
    options.station_db = db_;
    options.central_url = url_;
    options.reconnects = 0;  // the backoff is here, between batches
    options.on_problem = report_error;
    try {
      pipeline::SyncCounts c = pipeline::sync_station(options);
      pending_ = c.failed > 0;  // a document that failed is tried again later
      backoff_ = kFirstBackoff;
      next_try_ = pending_ ? Clock::now() + kMaxBackoff : Clock::time_point{};
      std::cerr << "sohoa: sync to " << storage::redacted_url(url_) << ": sent " << c.sent
                << ", already there " << c.already << ", failed " << c.failed << std::endl;
    } catch (const storage::StorageError& e) {
      report_error(std::string("sync: ") + e.what() + "; retrying in " +
                   std::to_string(backoff_.count()) + " s");
      next_try_ = Clock::now() + backoff_;
      backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kFirstBackoff{5};
  static constexpr std::chrono::seconds kMaxBackoff{300};
  std::filesystem::path db_;
  std::string url_;
  bool pending_ = true;  // what an earlier run left unsent goes too
  std::chrono::seconds backoff_ = kFirstBackoff;
  Clock::time_point next_try_{};
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
  options.recursive = args.recursive;
  if (!args.sync_to.empty()) {
    if (!storage::is_postgres_url(args.sync_to)) {
      throw UsageError("--sync-to " + args.sync_to +
                       ": not a central store's URL (postgresql://USER@HOST:PORT/DBNAME)");
    }
    auto sync = std::make_shared<SyncAfterBatches>(args.db, args.sync_to);
    options.between_batches = [sync](bool ingested) { (*sync)(ingested); };
  }
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
  require_known_unit(*db, options.ingest.unit);
}

// Local time, to the second: when a file was filed away.
std::string now_local() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &local);
  return buf;
}

// One line per file, as it is filed away, with the time: a station runs for
// days and a service's journal keeps them.
void print_outcome(const pipeline::FileOutcome& o, bool as_json) {
  std::string at = now_local();
  std::string status = o.status == "review" ? "ok" : o.status;
  if (!o.error.empty()) report_error(at + " " + o.source + ": " + o.error);
  if (as_json) {
    nlohmann::ordered_json line = {
        {"at", at},
        {"source", o.source},
        {"status", status},
        {"id", o.id ? nlohmann::ordered_json(*o.id) : nlohmann::ordered_json(nullptr)},
        {"pages", o.pages},
        {"error",
         o.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(o.error)}};
    std::cout << json_line(line) << std::endl;
    return;
  }
  std::string id = o.id ? std::to_string(*o.id) : "-";
  std::cout << at << "\t" << status << "\t" << id << "\t" << o.pages
            << (o.pages == 1 ? " page\t" : " pages\t") << printable(o.source) << std::endl;
}

int run_watch(const WatchArgs& args) {
  pipeline::WatchOptions options = watch_options(args);
  check_unit_known(options);
  stop_on_signals();
  std::cerr << "sohoa: " << now_local() << " watching " << args.dir
            << (args.recursive ? " and its subfolders" : "") << " (settle " << args.settle
            << " s); stop with Ctrl+C or SIGTERM" << std::endl;
  bool as_json = args.json;
  pipeline::watch(options,
                  [as_json](const pipeline::FileOutcome& o) { print_outcome(o, as_json); });
  std::cerr << "sohoa: " << now_local() << " stopped" << std::endl;
  return kOk;
}

}  // namespace

void add_watch_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<WatchArgs>();
  CLI::App* cmd = root.add_subcommand("watch", "Ingest scans as they appear in a hot folder");
  cmd->footer(
      "A file is ingested once its size has not changed for --settle seconds, then moved to\n"
      "DIR/done/ (stored or duplicate) or DIR/failed/ with NAME.error.txt beside it; a file\n"
      "that is not an image or PDF goes to failed/ unrecorded (reported skipped). Only files\n"
      "directly in DIR are taken, unless --recursive (then each keeps its subfolder under\n"
      "done/ or failed/). Lines start with the local time. SIGINT/SIGTERM finish the files in\n"
      "hand, then exit 0.\n"
      "--split separator|auto cuts each file as a stack (see ingest --help); the file moves\n"
      "once all its parts are stored.\n"
      "Example: sohoa watch /srv/scans --unit hoa-dong --station hoa-dong-1");
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
  cmd->add_flag("--recursive", args->recursive,
                "Also take files in subfolders (not done/, failed/ or hidden ones)");
  cmd->add_flag("--json", args->json,
                "One JSON line per file: at, source, status, id, pages, error");
  cmd->add_option("--sync-to", args->sync_to,
                  "Central store (postgresql://USER@HOST:PORT/DBNAME) to sync to after each\n"
                  "batch; while it cannot be reached, retried with backoff (5 s up to 5 min)")
      ->option_text("URL");
  cmd->callback([args, &action] { action = [args] { return run_watch(*args); }; });
}

}  // namespace sohoa::cli
