// The administrative units documents are issued by (SPEC "Units" CSV).
#pragma once

#include <string>
#include <vector>

#include "samples/generator/date.h"

namespace sohoa::samples {

struct Unit {
  std::string code;
  std::string name;   // with its kind: "Xã Hòa Đồng", "Huyện Tây Hòa", "Tỉnh Phú Yên"
  std::string level;  // tinh, huyen, xa
  std::string parent;
  Date valid_from;  // invalid = since ever
  Date valid_to;    // invalid = still exists

  bool valid_at(const Date& date) const;
  // "Xã Hòa Đồng" -> "Hòa Đồng"; "Thị trấn Phú Thứ" -> "Phú Thứ".
  std::string bare_name() const;
  // "XÃ", "THỊ TRẤN", "HUYỆN", "TỈNH".
  std::string kind_upper() const;
};

// Reads the units CSV (header `code,name,level,parent,valid_from,valid_to,successor`);
// throws std::runtime_error naming the file and line on a bad row.
std::vector<Unit> load_units(const std::string& path);

const Unit* find_unit(const std::vector<Unit>& units, const std::string& code);

}  // namespace sohoa::samples
