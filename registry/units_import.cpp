#include "registry/units_import.h"

#include <map>
#include <set>

#include "registry/csv_input.h"
#include "text/vntext.h"

namespace sohoa::registry {
namespace {

const std::vector<std::string> kColumns = {"code",       "name",     "level",    "parent",
                                           "valid_from", "valid_to", "successor"};

std::string optional_date(const CsvReader& csv, int line, const std::string& column,
                          const std::string& value) {
  if (value.empty()) return {};
  auto iso = parse_date(value);
  if (!iso) throw storage::InputError(csv.where(line, "bad " + column + " date \"" + value + "\""));
  return *iso;
}

storage::Unit unit_from(const CsvReader& csv, const std::vector<int>& at,
                        const std::vector<std::string>& fields, int line) {
  auto get = [&](size_t i) { return at[i] >= 0 ? fields[static_cast<size_t>(at[i])] : ""; };
  storage::Unit u;
  u.code = get(0);
  u.name = text::collapse_spaces(text::nfc(get(1)));
  u.level = get(2);
  u.parent = get(3);
  u.valid_from = optional_date(csv, line, "valid_from", get(4));
  u.valid_to = optional_date(csv, line, "valid_to", get(5));
  u.successor = get(6);
  if (u.code.empty()) throw storage::InputError(csv.where(line, "missing code"));
  if (u.name.empty()) throw storage::InputError(csv.where(line, "missing name"));
  if (u.level != "tinh" && u.level != "huyen" && u.level != "xa") {
    throw storage::InputError(
        csv.where(line, "level must be tinh, huyen or xa, not \"" + u.level + "\""));
  }
  if (!u.valid_from.empty() && !u.valid_to.empty() && u.valid_to < u.valid_from) {
    throw storage::InputError(csv.where(line, "valid_to is before valid_from"));
  }
  if (u.successor == u.code)
    throw storage::InputError(csv.where(line, "unit is its own successor"));
  return u;
}

}  // namespace

std::vector<storage::Unit> read_units_csv(const std::filesystem::path& path,
                                          const std::vector<storage::Unit>& known) {
  CsvReader csv(path);
  csv.require_columns({"code", "name", "level"});
  std::vector<int> at;
  for (const std::string& name : kColumns) at.push_back(csv.column(name));

  std::vector<storage::Unit> units;
  std::map<std::string, int> line_of;
  std::vector<std::string> fields;
  int line = 0;
  while (csv.next(fields, line)) {
    storage::Unit u = unit_from(csv, at, fields, line);
    if (!line_of.emplace(u.code, line).second) {
      throw storage::InputError(csv.where(
          line, "unit \"" + u.code + "\" already on line " + std::to_string(line_of[u.code])));
    }
    units.push_back(std::move(u));
  }
  std::set<std::string> codes;
  for (const auto& u : known) codes.insert(u.code);
  for (const auto& u : units) codes.insert(u.code);
  for (const auto& u : units) {
    for (const std::string* ref : {&u.parent, &u.successor}) {
      if (!ref->empty() && codes.count(*ref) == 0) {
        throw storage::InputError(csv.where(
            line_of[u.code],
            "unknown unit \"" + *ref + "\" as " + (ref == &u.parent ? "parent" : "successor")));
      }
    }
  }
  return units;
}

size_t import_units(storage::Database& db, const std::filesystem::path& path) {
  std::vector<storage::Unit> units = read_units_csv(path, db.units());
  db.upsert_units(units);
  return units.size();
}

}  // namespace sohoa::registry
