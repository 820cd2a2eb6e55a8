#include "registry/register_import.h"

#include <optional>
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

}  // namespace

RegisterImport import_register(storage::Database& db, const std::filesystem::path& path) {
  CsvReader csv(path);
  csv.require_columns({"unit", "doc_number", "issued_date"});
  int at[kCount];
  for (int c = 0; c < kCount; ++c) at[c] = csv.column(kNames[c]);
  RowChecker checker(db.units());

  RegisterImport result;
  std::vector<std::string> fields;
  auto counts = db.upsert_register_rows([&](storage::RegisterRow& row) {
    int line = 0;
    std::string reason;
    while (csv.next(fields, line)) {
      if (auto checked = checker.check(fields, at, reason)) {
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
