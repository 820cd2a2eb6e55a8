// sohoa sync --to URL: this station's database into the central store.
#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "pipeline/station_sync.h"
#include "storage/postgres_database.h"

namespace sohoa::cli {
namespace {

struct SyncArgs {
  std::filesystem::path db;
  std::string to;
  int batch = 100;
  bool json = false;
  bool quiet = false;
};

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop.store(true); }

int run_sync(const SyncArgs& args) {
  if (!storage::is_postgres_url(args.to)) {
    throw UsageError("--to " + args.to +
                     ": not a central store's URL (postgresql://USER@HOST:PORT/DBNAME)");
  }
  if (args.batch < 1) throw UsageError("--batch must be at least 1");
  // SPEC: a URL with no sohoa database behind it is exit 2.
  if (!storage::Database::exists(args.to)) {
    throw storage::StorageError(
        storage::redacted_url(args.to) +
        ": cannot be reached or holds no sohoa database (create it with `sohoa units import "
        "UNITS.csv --db URL`)");
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  pipeline::SyncOptions options;
  options.station_db = args.db;
  options.central_url = args.to;
  options.batch = args.batch;
  options.stop = &g_stop;
  options.on_problem = report_error;
  if (!args.quiet) {
    options.on_progress = [](const pipeline::SyncCounts& c) {
      std::cerr << "sync: " << (c.sent + c.already + c.failed) << "/" << c.total << " (sent "
                << c.sent << ", already there " << c.already << ", failed " << c.failed << ")"
                << std::endl;
    };
  }
  pipeline::SyncCounts counts = pipeline::sync_station(options);
  if (args.json) {
    nlohmann::ordered_json out = {
        {"sent", counts.sent}, {"already", counts.already}, {"failed", counts.failed}};
    std::cout << json_line(out) << std::endl;
  } else {
    std::cout << "sent " << counts.sent << ", already there " << counts.already << ", failed "
              << counts.failed << std::endl;
  }
  return counts.failed > 0 ? kPartial : kOk;
}

}  // namespace

void add_sync_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<SyncArgs>();
  CLI::App* cmd = root.add_subcommand(
      "sync", "Send this station's documents to the central store (PostgreSQL)");
  cmd->footer(
      "Sends what the central store lacks (identity by SHA-256, as merge): pages, text,\n"
      "layout, metadata, review state, corrections with who and when, and the original files.\n"
      "Each document arrives whole or not at all: a sync killed or cut off loses nothing and\n"
      "the next run sends the rest. Corrections made centrally are never overwritten by a\n"
      "station's older ones, and a document deleted centrally stays deleted (as merge).\n"
      "Password from PGPASSWORD or ~/.pgpass, never the command line.\n"
      "Prints: sent N, already there N, failed N (exit 3 when some failed).\n"
      "Example: sohoa sync --db hoa-dong-1.db --to postgresql://sohoa@central:5432/daklak");
  add_db_option(*cmd, args->db);
  cmd->add_option("--to", args->to, "The central store: postgresql://USER@HOST:PORT/DBNAME")
      ->option_text("URL")
      ->required();
  cmd->add_option("--batch", args->batch,
                  "Documents per central transaction, a progress line on stderr after each")
      ->option_text("N")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the counts as one JSON object");
  cmd->add_flag("--quiet", args->quiet, "No progress lines on stderr");
  cmd->callback([args, &action] { action = [args] { return run_sync(*args); }; });
}

}  // namespace sohoa::cli
