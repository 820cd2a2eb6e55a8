// sohoa progress: the share of valid results digitized, against targets.
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "registry/progress_report.h"

namespace sohoa::cli {
namespace {

struct ProgressArgs {
  std::filesystem::path db;
  registry::ProgressOptions options;
  std::string targets;
  std::string format = "table";
  std::string out;
};

std::string render(storage::Database& db, const ProgressArgs& args) {
  registry::ProgressReport report = registry::compute_progress(db, args.options);
  if (args.format == "csv") return registry::render_csv(report);
  if (args.format == "json") return registry::render_json(report);
  if (args.format == "html") {
    registry::ProgressOptions per_level = args.options;
    per_level.by = "level";
    registry::ProgressOptions per_unit = args.options;
    per_unit.by = "unit";
    bool by_unit = args.options.by == "unit";
    return registry::render_html(
        registry::compute_progress(db, per_level),
        by_unit ? registry::compute_progress(db, per_unit) : registry::ProgressReport{}, by_unit);
  }
  return registry::render_table(report);
}

void write_out(const std::string& path, const std::string& text) {
  std::filesystem::path target(path);
  std::filesystem::path temp = target.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw UsageError(path + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(temp, target, ec);
  if (ec) throw UsageError(path + ": cannot write: " + ec.message());
}

int run_progress(ProgressArgs args) {
  if (!args.targets.empty()) {
    if (!std::filesystem::is_regular_file(args.targets)) {
      throw UsageError(args.targets + ": no such file");
    }
    args.options.targets = args.targets;
  }
  auto db = storage::Database::open(args.db);
  std::string text = render(*db, args);
  if (args.out.empty()) {
    std::cout << text;
  } else {
    write_out(args.out, text);
  }
  return kOk;
}

}  // namespace

void add_progress_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ProgressArgs>();
  CLI::App* cmd = root.add_subcommand(
      "progress", "Share of still-valid results digitized per level and year, against the plan");
  cmd->footer(
      "A register row is valid at as_of when issued on or before it and not expired; it is\n"
      "digitized when a stored document matching it (same dossier code, or same number and date\n"
      "from its unit or a successor) was digitized by then. Default targets, from the district\n"
      "plan 2021-2025: huyen 40% and xa 35% by the end of 2022, then +20 points a year.\n"
      "Example: sohoa progress --by unit --period quarter --format html --out progress.html");
  add_db_option(*cmd, args->db);
  cmd->add_option("--by", args->options.by, "Rows per level or per unit")
      ->check(CLI::IsMember({"level", "unit"}))
      ->capture_default_str();
  cmd->add_option("--level", args->options.level, "Keep one level")
      ->check(CLI::IsMember({"tinh", "huyen", "xa"}));
  cmd->add_option("--unit", args->options.unit, "Keep this unit and its predecessors");
  cmd->add_option("--period", args->options.period, "Period of each row")
      ->check(CLI::IsMember({"year", "half", "quarter"}))
      ->capture_default_str();
  cmd->add_option("--from", args->options.from, "First year (default: the register's first)")
      ->check(CLI::Range(1900, 2200));
  cmd->add_option("--to", args->options.to, "Last year (default: the year of --as-of)")
      ->check(CLI::Range(1900, 2200));
  cmd->add_option("--as-of", args->options.as_of,
                  "Count as on this date (ISO or dd/mm/yyyy; default today); later periods "
                  "are left out");
  cmd->add_option("--targets", args->targets, "CSV level,year,target_percent (default: the plan)");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json", "html"}))
      ->capture_default_str();
  cmd->add_option("--out", args->out, "Write to this file instead of standard output");
  cmd->callback([args, &action] { action = [args] { return run_progress(*args); }; });
}

}  // namespace sohoa::cli
