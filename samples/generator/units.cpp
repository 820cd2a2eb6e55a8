#include "samples/generator/units.h"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "text/vntext.h"

namespace sohoa::samples {
namespace {

// The units file has no quoted fields (names carry no commas).
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

const std::vector<std::pair<std::string, std::string>>& kinds() {
  static const std::vector<std::pair<std::string, std::string>> k = {
      {"Thị trấn ", "THỊ TRẤN"}, {"Phường ", "PHƯỜNG"}, {"Xã ", "XÃ"},
      {"Huyện ", "HUYỆN"},       {"Thị xã ", "THỊ XÃ"}, {"Tỉnh ", "TỈNH"}};
  return k;
}

}  // namespace

bool Unit::valid_at(const Date& date) const {
  if (valid_from.valid() && date < valid_from) return false;
  if (valid_to.valid() && date > valid_to) return false;
  return true;
}

std::string Unit::bare_name() const {
  for (const auto& [prefix, upper] : kinds())
    if (name.rfind(prefix, 0) == 0) return name.substr(prefix.size());
  return name;
}

std::string Unit::kind_upper() const {
  for (const auto& [prefix, upper] : kinds())
    if (name.rfind(prefix, 0) == 0) return upper;
  return "";
}

std::vector<Unit> load_units(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the units file");
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error(path + ": empty units file");
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  auto header = split_csv_line(line);
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  for (const char* name : {"code", "name", "level", "parent", "valid_from", "valid_to"})
    if (!column.count(name))
      throw std::runtime_error(path + ": line 1: missing column " + std::string(name));

  std::vector<Unit> units;
  int line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto fields = split_csv_line(line);
    fields.resize(header.size());
    try {
      Unit u;
      u.code = fields[column["code"]];
      u.name = text::nfc(fields[column["name"]]);
      u.level = fields[column["level"]];
      u.parent = fields[column["parent"]];
      u.valid_from = Date::parse_iso(fields[column["valid_from"]]);
      u.valid_to = Date::parse_iso(fields[column["valid_to"]]);
      if (u.code.empty() || u.name.empty()) throw std::invalid_argument("empty code or name");
      if (u.level != "tinh" && u.level != "huyen" && u.level != "xa")
        throw std::invalid_argument("bad level '" + u.level + "'");
      units.push_back(std::move(u));
    } catch (const std::exception& e) {
      throw std::runtime_error(path + ": line " + std::to_string(line_number) + ": " + e.what());
    }
  }
  return units;
}

const Unit* find_unit(const std::vector<Unit>& units, const std::string& code) {
  for (const auto& u : units)
    if (u.code == code) return &u;
  return nullptr;
}

}  // namespace sohoa::samples
