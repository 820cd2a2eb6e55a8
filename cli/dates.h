// Date helpers for the CLI's options.
#pragma once

#include <string>

namespace sohoa::cli {

// Today's local date, ISO.
std::string today_iso();

// An ISO YYYY-MM-DD or dd/mm/yyyy date that exists in the calendar, as ISO;
// empty when `text` is not one.
std::string parse_date(const std::string& text);

}  // namespace sohoa::cli
