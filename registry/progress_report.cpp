#include "registry/progress_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "registry/csv_input.h"

namespace sohoa::registry {
namespace {

using storage::InputError;

const std::vector<std::string> kLevels = {"tinh", "huyen", "xa"};

// A reporting period: its label within the year and its first and last day
// as YYYYMMDD numbers.
struct Period {
  int year = 0;
  std::string label;
  int first = 0;
  int last = 0;
};

int date_number(const std::string& iso) {
  return std::stoi(iso.substr(0, 4)) * 10000 + std::stoi(iso.substr(5, 2)) * 100 +
         std::stoi(iso.substr(8, 2));
}

std::string iso_of(int number) {
  char iso[32];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", number / 10000, number / 100 % 100,
                number % 100);
  return iso;
}

// The periods of the years from..to that have begun by `now`; the one
// containing `now` ends there.
std::vector<Period> periods(const std::string& kind, int from, int to, int now) {
  struct Span {
    const char* label;
    int first, last;  // MMDD
  };
  static const std::vector<Span> year = {{"", 101, 1231}};
  static const std::vector<Span> half = {{"H1", 101, 630}, {"H2", 701, 1231}};
  static const std::vector<Span> quarter = {
      {"Q1", 101, 331}, {"Q2", 401, 630}, {"Q3", 701, 930}, {"Q4", 1001, 1231}};
  const auto& spans = kind == "half" ? half : kind == "quarter" ? quarter : year;
  std::vector<Period> out;
  for (int y = from; y <= to; ++y) {
    for (const Span& s : spans) {
      int first = y * 10000 + s.first;
      if (first > now) continue;
      out.push_back({y, s.label, first, std::min(y * 10000 + s.last, now)});
    }
  }
  return out;
}

std::string normalized_date(const std::string& text, const std::string& what) {
  auto iso = parse_date(text);
  if (!iso) throw InputError("bad " + what + " date \"" + text + "\"");
  return *iso;
}

std::optional<double> one_decimal_percent(int64_t digitized, int64_t valid) {
  if (valid == 0) return std::nullopt;
  return std::round(1000.0 * static_cast<double>(digitized) / static_cast<double>(valid)) / 10.0;
}

void check_options(storage::Database& db, const ProgressOptions& o) {
  if (o.by != "level" && o.by != "unit") throw InputError("--by must be level or unit");
  if (o.period != "year" && o.period != "half" && o.period != "quarter") {
    throw InputError("--period must be year, half or quarter");
  }
  if (!o.level.empty() && std::find(kLevels.begin(), kLevels.end(), o.level) == kLevels.end()) {
    throw InputError("--level must be tinh, huyen or xa");
  }
  if (!o.unit.empty() && !db.unit(o.unit)) throw InputError("unknown unit \"" + o.unit + "\"");
  if (o.from != 0 && o.to != 0 && o.from > o.to) throw InputError("--from is after --to");
}

// Counts of one output group (a level or a unit) over the periods.
struct Tally {
  std::string level;
  std::vector<int64_t> valid, digitized;
};

std::string text_or_dash(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *v);
  return buf;
}

std::string csv_number(const std::optional<double>& v) {
  return v ? text_or_dash(v) : std::string();
}

std::vector<std::string> column_names(const ProgressReport& r) {
  std::vector<std::string> names;
  if (r.by_unit) names.push_back("unit");
  names.insert(names.end(), {"level", "year"});
  if (r.with_period) names.push_back("period");
  names.insert(names.end(), {"as_of", "valid", "digitized", "percent", "target", "met"});
  return names;
}

std::vector<std::string> cells(const ProgressReport& r, const ProgressRow& row, bool for_csv) {
  std::vector<std::string> out;
  if (r.by_unit) out.push_back(row.unit);
  out.push_back(row.level);
  out.push_back(std::to_string(row.year));
  if (r.with_period) out.push_back(row.period);
  out.push_back(row.as_of);
  out.push_back(std::to_string(row.valid));
  out.push_back(std::to_string(row.digitized));
  out.push_back(for_csv ? csv_number(row.percent) : text_or_dash(row.percent));
  out.push_back(for_csv ? csv_number(row.target) : text_or_dash(row.target));
  if (!row.met) {
    out.push_back(for_csv ? "" : "-");
  } else {
    out.push_back(for_csv ? (*row.met ? "true" : "false") : (*row.met ? "yes" : "no"));
  }
  return out;
}

std::string unit_name(const ProgressReport& r, const std::string& code) {
  auto it = r.unit_names.find(code);
  return it == r.unit_names.end() ? std::string() : it->second;
}

std::string csv_cell(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

nlohmann::json json_or_null(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

template <typename T>
nlohmann::json json_or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

std::optional<double> default_target(const std::string& level, int year) {
  if (year < 2022) return std::nullopt;
  double base = level == "huyen" ? 40 : level == "xa" ? 35 : -1;
  if (base < 0) return std::nullopt;
  return std::min(100.0, base + 20.0 * (year - 2022));
}

Targets read_targets(const std::filesystem::path& path) {
  CsvReader csv(path);
  csv.require_columns({"level", "year", "target_percent"});
  int level_at = csv.column("level"), year_at = csv.column("year"),
      target_at = csv.column("target_percent");
  Targets targets;
  std::vector<std::string> fields;
  int line = 0;
  while (csv.next(fields, line)) {
    const std::string& level = fields[static_cast<size_t>(level_at)];
    if (std::find(kLevels.begin(), kLevels.end(), level) == kLevels.end()) {
      throw InputError(csv.where(line, "level must be tinh, huyen or xa, not \"" + level + "\""));
    }
    int year = 0;
    double target = 0;
    try {
      size_t used = 0;
      year = std::stoi(fields[static_cast<size_t>(year_at)], &used);
      if (used != fields[static_cast<size_t>(year_at)].size()) throw std::invalid_argument("");
      target = std::stod(fields[static_cast<size_t>(target_at)], &used);
      if (used != fields[static_cast<size_t>(target_at)].size()) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw InputError(csv.where(line, "year and target_percent must be numbers"));
    }
    if (target < 0 || target > 100) {
      throw InputError(csv.where(line, "target_percent must be between 0 and 100"));
    }
    targets[{level, year}] = target;
  }
  return targets;
}

ProgressReport compute_progress(storage::Database& db, const ProgressOptions& o) {
  check_options(db, o);
  std::string today = o.today.empty() ? today_iso() : o.today;
  std::string now_iso = o.as_of.empty() ? today : normalized_date(o.as_of, "--as-of");
  int now = date_number(now_iso);
  std::optional<Targets> targets;
  if (o.targets) targets = read_targets(*o.targets);

  std::map<std::string, std::string> level_of;
  ProgressReport report;
  report.as_of = now_iso;
  report.by_unit = o.by == "unit";
  report.with_period = o.period != "year";
  for (const storage::Unit& u : db.units()) {
    level_of[u.code] = u.level;
    report.unit_names[u.code] = u.name;
  }

  std::vector<std::string> kept_units;
  if (!o.unit.empty()) {
    kept_units = db.predecessors_of(o.unit);
    kept_units.push_back(o.unit);
  }
  // Which output group each register unit counts in; -1 = filtered out.
  // The store counts (register_tallies); the periods start at the earliest
  // issued date of a unit kept, which it reports first.
  std::vector<Tally> tallies;
  std::vector<std::string> group_names;
  std::vector<int> group_of;
  std::map<std::string, int> group_by_name;
  std::vector<Period> spans;
  auto days_for = [&](const std::vector<storage::RegisterTally>& units) {
    int first_year = now / 10000;
    for (const storage::RegisterTally& u : units) {
      const std::string& level = level_of[u.unit];
      group_of.push_back(-1);
      if (!o.level.empty() && level != o.level) continue;
      std::string name = report.by_unit ? u.unit : level;
      auto [it, added] = group_by_name.emplace(name, static_cast<int>(tallies.size()));
      if (added) {
        tallies.push_back({level, {}, {}});
        group_names.push_back(name);
      }
      group_of.back() = it->second;
      first_year = std::min(first_year, u.first_issued / 10000);
    }
    int from = o.from != 0 ? o.from : first_year;
    int to = o.to != 0 ? o.to : now / 10000;
    spans = periods(o.period, from, to, now);
    std::vector<int> days;
    for (const Period& p : spans) days.push_back(p.last);
    return days;
  };
  std::vector<storage::RegisterTally> counted = db.register_tallies(kept_units, days_for);
  for (Tally& t : tallies) {
    t.valid.assign(spans.size(), 0);
    t.digitized.assign(spans.size(), 0);
  }
  for (size_t u = 0; u < counted.size(); ++u) {
    int g = group_of[u];
    if (g < 0) continue;
    Tally& t = tallies[static_cast<size_t>(g)];
    for (size_t p = 0; p < spans.size(); ++p) {
      t.valid[p] += counted[u].valid[p];
      t.digitized[p] += counted[u].digitized[p];
    }
  }

  // Levels in administrative order; units by code.
  std::vector<size_t> order(tallies.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto level_rank = [&](const std::string& l) {
    return std::find(kLevels.begin(), kLevels.end(), l) - kLevels.begin();
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (report.by_unit) return group_names[a] < group_names[b];
    return level_rank(group_names[a]) < level_rank(group_names[b]);
  });

  for (size_t g : order) {
    const Tally& t = tallies[g];
    for (size_t p = 0; p < spans.size(); ++p) {
      ProgressRow row;
      if (report.by_unit) row.unit = group_names[g];
      row.level = t.level;
      row.year = spans[p].year;
      row.period = spans[p].label;
      row.as_of = iso_of(spans[p].last);
      row.valid = t.valid[p];
      row.digitized = t.digitized[p];
      row.percent = one_decimal_percent(row.digitized, row.valid);
      if (targets) {
        auto it = targets->find({row.level, row.year});
        if (it != targets->end()) row.target = it->second;
      } else {
        row.target = default_target(row.level, row.year);
      }
      if (row.percent && row.target) row.met = *row.percent >= *row.target - 1e-9;
      report.rows.push_back(std::move(row));
    }
  }

  std::set<std::string> unit_set(kept_units.begin(), kept_units.end());
  for (storage::UnmatchedDocument& d : db.unmatched_documents(now_iso)) {
    if (!o.level.empty() && d.level != o.level) continue;
    if (!unit_set.empty() && unit_set.count(d.issuer_unit) == 0) continue;
    report.unmatched.push_back(std::move(d));
  }
  return report;
}

std::string render_csv(const ProgressReport& report) {
  std::ostringstream out;
  auto names = column_names(report);
  // Per unit, the unit's name too, as the last column: codes alone mean
  // little in a spreadsheet, and the SPEC's columns keep their places.
  if (report.by_unit) names.push_back("unit_name");
  for (size_t i = 0; i < names.size(); ++i) out << (i ? "," : "") << names[i];
  out << "\n";
  for (const ProgressRow& row : report.rows) {
    auto values = cells(report, row, true);
    if (report.by_unit) values.push_back(unit_name(report, row.unit));
    for (size_t i = 0; i < values.size(); ++i) out << (i ? "," : "") << csv_cell(values[i]);
    out << "\n";
  }
  return out.str();
}

std::string render_table(const ProgressReport& report) {
  std::vector<std::vector<std::string>> lines = {column_names(report)};
  for (const ProgressRow& row : report.rows) lines.push_back(cells(report, row, false));
  std::vector<size_t> width(lines[0].size(), 0);
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  }
  // Text columns align left, counts and percentages right.
  size_t first_number = report.by_unit ? 1 : 0;
  first_number += report.with_period ? 4 : 3;
  std::ostringstream out;
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) {
      std::string pad(width[i] - line[i].size(), ' ');
      if (i) out << "  ";
      out << (i >= first_number ? pad + line[i] : line[i] + (i + 1 < line.size() ? pad : ""));
    }
    out << "\n";
  }
  out << "\nunmatched: " << report.unmatched.size() << "\n";
  for (const auto& d : report.unmatched) {
    out << "  " << d.id << "  " << (d.doc_number.empty() ? "-" : d.doc_number) << "  "
        << (d.issued_date.empty() ? "-" : d.issued_date) << "  " << d.issuer_unit << "  "
        << d.digitized_at << "  " << d.source << "\n";
  }
  return out.str();
}

std::string render_json(const ProgressReport& report) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const ProgressRow& row : report.rows) {
    nlohmann::ordered_json j;
    if (report.by_unit) j["unit"] = row.unit;
    j["level"] = row.level;
    j["year"] = row.year;
    if (report.with_period) j["period"] = row.period;
    j["as_of"] = row.as_of;
    j["valid"] = row.valid;
    j["digitized"] = row.digitized;
    j["percent"] = json_or_null(row.percent);
    j["target"] = json_or_null(row.target);
    j["met"] = json_or_null(row.met);
    if (report.by_unit) j["unit_name"] = unit_name(report, row.unit);
    rows.push_back(std::move(j));
  }
  nlohmann::ordered_json unmatched = nlohmann::ordered_json::array();
  for (const auto& d : report.unmatched) {
    nlohmann::ordered_json j;
    j["id"] = d.id;
    j["source"] = d.source;
    j["doc_number"] = json_or_null(d.doc_number);
    j["issued_date"] = json_or_null(d.issued_date);
    j["unit"] = d.issuer_unit;
    j["level"] = json_or_null(d.level);
    j["digitized_at"] = d.digitized_at;
    unmatched.push_back(std::move(j));
  }
  nlohmann::ordered_json doc;
  doc["as_of"] = report.as_of;
  doc["rows"] = std::move(rows);
  doc["unmatched"] = report.unmatched.size();
  doc["unmatched_documents"] = std::move(unmatched);
  return doc.dump() + "\n";
}

}  // namespace sohoa::registry
