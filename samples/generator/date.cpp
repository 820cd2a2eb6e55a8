#include "samples/generator/date.h"

#include <cstdio>
#include <stdexcept>

namespace sohoa::samples {

Date Date::from_days(std::chrono::sys_days days) {
  std::chrono::year_month_day ymd{days};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::chrono::sys_days Date::days() const {
  return std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{unsigned(month)} /
                               std::chrono::day{unsigned(day)}};
}

Date Date::plus_months(int count) const {
  int index = year * 12 + (month - 1) + count;
  std::chrono::year_month_day_last last{std::chrono::year{index / 12} /
                                        std::chrono::month{unsigned(index % 12 + 1)} /
                                        std::chrono::last};
  int last_day = static_cast<int>(static_cast<unsigned>(last.day()));
  return {index / 12, index % 12 + 1, day < last_day ? day : last_day};
}

bool Date::is_weekend() const {
  std::chrono::weekday wd{days()};
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::dmy() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", day, month, year);
  return buf;
}

std::string Date::spelled() const {
  char buf[64];
  std::snprintf(buf, sizeof buf,
                month <= 2 ? "ngày %02d tháng %02d năm %04d" : "ngày %02d tháng %d năm %04d", day,
                month, year);
  return buf;
}

Date Date::parse_iso(const std::string& iso) {
  if (iso.empty()) return {};
  Date d;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2d", &d.year, &d.month, &d.day) != 3)
    throw std::invalid_argument("not an ISO date: " + iso);
  return d;
}

}  // namespace sohoa::samples
