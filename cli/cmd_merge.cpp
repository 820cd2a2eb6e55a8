// sohoa merge STATION.db: a station's documents into this database.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli/command.h"
#include "pipeline/station_merge.h"

namespace sohoa::cli {
namespace {

struct MergeArgs {
  std::filesystem::path db;
  std::filesystem::path station;
  bool json = false;
};

int run_merge(const MergeArgs& args) {
  // SPEC: a path with no sohoa database behind it is exit 2, as for --db.
  if (!storage::Database::exists(args.station)) {
    throw storage::StorageError(args.station.string() +
                                ": no sohoa database there (a station's database file, as its "
                                "--db names it)");
  }
  pipeline::MergeSummary summary;
  try {
    summary = pipeline::merge_station(args.station, args.db, report_error);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (args.json) {
    nlohmann::ordered_json out = {{"station", args.station.string()},
                                  {"new", summary.added},
                                  {"present", summary.present},
                                  {"missing_originals", summary.missing_originals},
                                  {"deleted", summary.deleted}};
    std::cout << json_line(out) << std::endl;
  } else {
    std::cout << "merged " << args.station.string() << ": " << summary.added << " new, "
              << summary.present << " already present";
    if (summary.deleted > 0) {
      std::cout << ", " << summary.deleted << " deleted here (left deleted)";
    }
    if (summary.missing_originals > 0) {
      std::cout << ", " << summary.missing_originals << " without their original";
    }
    std::cout << std::endl;
  }
  return summary.missing_originals > 0 ? kPartial : kOk;
}

}  // namespace

void add_merge_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd =
      root.add_subcommand("merge", "Bring a scanning station's documents into this database");
  cmd->footer(
      "Copies the station's documents (pages, text, metadata, corrections with who and when)\n"
      "and their archived originals (STATION.db.files/). Idempotent by SHA-256: documents\n"
      "already here are counted as present and left alone; documents deleted here\n"
      "(sohoa delete) stay deleted even when the station still holds them. Prints the counts.\n"
      "Example: sohoa merge /media/usb/hoa-dong-1.db --db district.db");
  add_db_option(*cmd, args->db);
  cmd->add_option("STATION.db", args->station, "The station's database file")->required();
  cmd->add_flag("--json", args->json, "Print the counts as one JSON object");
  cmd->callback([args, &action] { action = [args] { return run_merge(*args); }; });
}

}  // namespace sohoa::cli
