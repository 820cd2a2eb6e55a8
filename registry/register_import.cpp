#include "registry/register_import.h"

#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "registry/csv_input.h"

namespace sohoa::registry {
namespace {

enum Column { kUnit, kNumber, kIssued, kValidUntil, kDossier, kProcedure, kType, kTitle, kCount };
const char* const kNames[kCount] = {"unit",         "doc_number",     "issued_date", "valid_until",
                                    "dossier_code", "procedure_code", "doc_type",    "title"};

class RowChecker {
 public:
  explicit RowChecker(const std::vector<storage::Unit>& units) {
    for (const auto& u : units) units_.insert(u.code);
  }

  // The row, or nullopt with `reason` set.
  std::optional<storage::RegisterRow> check(const std::vector<std::string>& fields,
                                            const int (&at)[kCount], std::string& reason) const {
    auto get = [&](Column c) -> const std::string& {
      static const std::string none;
      return at[c] >= 0 ? fields[static_cast<size_t>(at[c])] : none;
    };
    for (int c = 0; c < kCount; ++c) {
      // A NUL is never typed: the cell is damaged, and stored it would keep
      // the row from ever matching.
      if (get(Column(c)).find('\0') != std::string::npos) {
        return reject(reason, std::string("NUL byte in ") + kNames[c]);
      }
    }
    storage::RegisterRow row;
    row.unit = get(kUnit);
    row.doc_number = get(kNumber);
    if (row.unit.empty()) return reject(reason, "missing unit");
    if (units_.count(row.unit) == 0) return reject(reason, "unknown unit \"" + row.unit + "\"");
    if (row.doc_number.empty()) return reject(reason, "missing doc_number");
    if (get(kIssued).empty()) return reject(reason, "missing issued_date");
    auto issued = parse_date(get(kIssued));
    if (!issued) return reject(reason, "bad issued_date \"" + get(kIssued) + "\"");
    row.issued_date = *issued;
    if (!get(kValidUntil).empty()) {
      auto until = parse_date(get(kValidUntil));
      if (!until) return reject(reason, "bad valid_until \"" + get(kValidUntil) + "\"");
      if (*until < row.issued_date) {
        return reject(reason,
                      "valid_until " + *until + " is before issued_date " + row.issued_date);
      }
      row.valid_until = *until;
    }
    row.dossier_code = get(kDossier);
    row.procedure_code = get(kProcedure);
    row.doc_type = get(kType);
    row.title = get(kTitle);
    return row;
  }

 private:
  static std::optional<storage::RegisterRow> reject(std::string& reason, std::string why) {
    reason = std::move(why);
    return std::nullopt;
  }

  std::unordered_set<std::string> units_;
};

// The key a register row is upserted by (SPEC): the second row with the same
// key in one file would silently overwrite the first.
class KeyTracker {
 public:
  // 0 when first seen, else the line that first had the key.
  int earlier_line(const storage::RegisterRow& row, int line) {
    std::string key = row.unit + '\x1f' + row.doc_number + '\x1f' + row.issued_date;
    auto [it, inserted] = first_line_.emplace(std::move(key), line);
    return inserted ? 0 : it->second;
  }

 private:
  std::unordered_map<std::string, int> first_line_;
};

}  // namespace

RegisterImport import_register(storage::Database& db, const std::filesystem::path& path,
                               const std::string& encoding) {
  CsvReader csv(path, encoding);
  csv.require_columns({"unit", "doc_number", "issued_date"});
  int at[kCount];
  for (int c = 0; c < kCount; ++c) at[c] = csv.column(kNames[c]);
  RowChecker checker(db.units());
  KeyTracker keys;

  RegisterImport result;
  std::vector<std::string> fields;
  auto counts = db.upsert_register_rows([&](storage::RegisterRow& row) {
    int line = 0;
    std::string reason;
    while (csv.next(fields, line)) {
      if (auto checked = checker.check(fields, at, reason)) {
        if (int first = keys.earlier_line(*checked, line)) {
          result.rejected.push_back({line, "same unit, doc_number and issued_date as line " +
                                               std::to_string(first) + " (kept line " +
                                               std::to_string(first) + ")"});
          continue;
        }
        row = std::move(*checked);
        return true;
      }
      result.rejected.push_back({line, reason});
    }
    return false;
  });
  result.inserted = counts.inserted;
  result.updated = counts.updated;
  return result;
}

}  // namespace sohoa::registry
