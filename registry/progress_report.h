// `progress`: the share of still-valid register results that has been
// digitized, per level (or unit) and period, against the plan's targets
// (SPEC "Progress: the definition"), and its renderings.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.h"

namespace sohoa::registry {

struct ProgressOptions {
  std::string by = "level";     // level | unit
  std::string level;            // keep one level; empty = all
  std::string unit;             // keep this unit and its predecessors; empty = all
  std::string period = "year";  // year | half | quarter
  int from = 0;                 // first year; 0 = the register's earliest issued year
  int to = 0;                   // last year; 0 = the year of as_of
  std::string as_of;            // ISO or dd/mm/yyyy; empty = today
  std::optional<std::filesystem::path> targets;  // CSV level,year,target_percent
  std::string today;                             // ISO; empty = the system's date (tests fix it)
};

struct ProgressRow {
  std::string unit;  // --by unit only
  std::string level;
  int year = 0;
  std::string period;  // H1, H2, Q1..Q4; empty for --period year
  std::string as_of;
  int64_t valid = 0;
  int64_t digitized = 0;
  std::optional<double> percent;  // one decimal; null when valid is 0
  std::optional<double> target;
  std::optional<bool> met;
};

struct ProgressReport {
  std::string as_of;  // the report's date: --as-of or today
  bool by_unit = false;
  bool with_period = false;
  std::vector<ProgressRow> rows;
  std::vector<storage::UnmatchedDocument> unmatched;
  std::map<std::string, std::string> unit_names;  // code -> name
};

// (level, year) -> target percent.
using Targets = std::map<std::pair<std::string, int>, double>;

// The district plan 2021-2025 (SPEC "Targets"): huyen 40% and xa 35% by the
// end of 2022, then +20 points a year, up to 100; none before 2022 or for tinh.
std::optional<double> default_target(const std::string& level, int year);

// Reads a targets CSV; throws storage::InputError "FILE:LINE: reason".
Targets read_targets(const std::filesystem::path& path);

// Throws storage::InputError for bad options (unknown unit or level, bad
// date, from after to, ...).
ProgressReport compute_progress(storage::Database& db, const ProgressOptions& options);

std::string render_table(const ProgressReport& report);
std::string render_csv(const ProgressReport& report);
std::string render_json(const ProgressReport& report);
// One self-contained page: a chart of percent against target per level
// (from `by_level`), then the table `--by` asked for: per level (from
// `by_level`) or, with `per_unit`, per unit (from `by_unit`); then the
// unmatched documents. Counts are printed, not only in tooltips; headers
// are Vietnamese (English in brackets); a period not yet over (the
// current year) is marked as counted so far. Inline SVG and CSS.
std::string render_html(const ProgressReport& by_level, const ProgressReport& by_unit,
                        bool per_unit = true);

}  // namespace sohoa::registry
