// Calendar dates for generated documents.
#pragma once

#include <chrono>
#include <string>

namespace sohoa::samples {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  static Date from_days(std::chrono::sys_days days);
  std::chrono::sys_days days() const;
  Date plus_days(int count) const { return from_days(days() + std::chrono::days(count)); }
  Date plus_months(int count) const;
  bool is_weekend() const;

  std::string iso() const;  // 2022-06-03
  std::string dmy() const;  // 03/06/2022
  // "ngày 03 tháng 6 năm 2022": Decree 30 pads days below 10 and months 1 and 2.
  std::string spelled() const;
  // Parses ISO "YYYY-MM-DD"; an empty string gives an invalid (zero) date.
  static Date parse_iso(const std::string& iso);
  bool valid() const { return year != 0; }

  auto operator<=>(const Date&) const = default;
};

}  // namespace sohoa::samples
