// Synthetic register and documents for the register and progress
// benchmarks: deterministic, spread over the Tây Hòa units before and after
// the 2025 merger. Header-only so each benchmark program stays one file.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace sohoa::bench {

inline std::filesystem::path work_dir() {
  const char* env = std::getenv("SOHOA_BENCH_DIR");
  std::filesystem::path dir = env != nullptr && *env ? env : "/tmp/sohoa-bench";
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::filesystem::path units_csv() {
  return std::filesystem::path(SOHOA_SOURCE_DIR) / "samples" / "units.csv";
}

// Units a register row may belong to, and the unit that issues its document
// (the same, or the merged commune for documents issued after mid-2025).
struct UnitPick {
  const char* unit;
  const char* successor;
};
inline const std::vector<UnitPick>& units() {
  static const std::vector<UnitPick> all = {
      {"tay-hoa", "tay-hoa"},         {"phu-thu", "xa-tay-hoa"},
      {"hoa-binh-1", "xa-tay-hoa"},   {"hoa-dong", "xa-hoa-thinh"},
      {"hoa-my-dong", "xa-hoa-my"},   {"hoa-my-tay", "xa-hoa-my"},
      {"hoa-phong", "xa-tay-hoa"},    {"hoa-phu", "xa-son-thanh"},
      {"hoa-tan-tay", "xa-tay-hoa"},  {"hoa-thinh", "xa-hoa-thinh"},
      {"son-thanh-dong", "xa-son-thanh"}, {"son-thanh-tay", "xa-son-thanh"}};
  return all;
}

struct SyntheticRow {
  int unit = 0;  // index into units()
  std::string number;
  std::string issued;  // ISO
  std::string valid_until;
};

// Row i of the synthetic register: issued 2020-2025, a third expiring.
inline SyntheticRow synthetic_row(int64_t i) {
  std::mt19937_64 rng(static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull + 1);
  SyntheticRow r;
  r.unit = static_cast<int>(rng() % units().size());
  r.number = std::to_string(i) + "/QĐ-UBND";
  int year = 2020 + static_cast<int>(rng() % 6);
  int month = 1 + static_cast<int>(rng() % 12);
  int day = 1 + static_cast<int>(rng() % 28);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  r.issued = buf;
  if (rng() % 3 == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year + 1 + static_cast<int>(rng() % 4),
                  month, day);
    r.valid_until = buf;
  }
  return r;
}

// A register CSV of `rows` rows in the office-export style (';', BOM,
// dd/mm/yyyy issued dates); written once and reused.
inline std::filesystem::path register_csv(int64_t rows) {
  auto path = work_dir() / ("register-" + std::to_string(rows) + ".csv");
  if (std::filesystem::exists(path)) return path;
  auto temp = path;
  temp += ".tmp";
  {
    std::ofstream out(temp, std::ios::binary);
    out << "\xEF\xBB\xBF" "unit;doc_number;issued_date;valid_until;dossier_code;title\n";
    for (int64_t i = 1; i <= rows; ++i) {
      SyntheticRow r = synthetic_row(i);
      std::string dmy = r.issued.substr(8, 2) + "/" + r.issued.substr(5, 2) + "/" +
                        r.issued.substr(0, 4);
      out << units()[static_cast<size_t>(r.unit)].unit << ";" << r.number << ";" << dmy << ";"
          << r.valid_until << ";H46.57-" << i << ";Giấy phép xây dựng số " << i << "\n";
    }
  }
  std::filesystem::rename(temp, path);
  return path;
}

}  // namespace sohoa::bench
