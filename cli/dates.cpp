#include "cli/dates.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <regex>

namespace sohoa::cli {

std::string today_iso() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
  return buf;
}

std::string parse_date(const std::string& text) {
  static const std::regex iso(R"((\d{4})-(\d{2})-(\d{2}))");
  static const std::regex vn(R"((\d{1,2})/(\d{1,2})/(\d{4}))");
  std::smatch m;
  int y = 0, mo = 0, d = 0;
  if (std::regex_match(text, m, iso)) {
    y = std::stoi(m[1]), mo = std::stoi(m[2]), d = std::stoi(m[3]);
  } else if (std::regex_match(text, m, vn)) {
    d = std::stoi(m[1]), mo = std::stoi(m[2]), y = std::stoi(m[3]);
  } else {
    return {};
  }
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return {};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
  return buf;
}

}  // namespace sohoa::cli
