// Reading the CSV files offices export (units, register, targets) and their
// dates. Shared by the importers; no storage here.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sohoa::registry {

// A CSV file with a header row: UTF-8 with or without BOM (or another
// encoding when named), ',' or ';' delimited (whichever the header uses),
// RFC 4180 quotes, LF or CRLF. Unquoted fields are trimmed; blank lines and
// rows of empty cells are skipped. Fields may hold NUL bytes: the importer
// decides what a row with one is worth.
class CsvReader {
 public:
  // Reads the file, converting it to UTF-8 from `encoding` (an ICU name such
  // as "windows-1258") when one is given. Throws storage::InputError
  // ("FILE: ...") when unreadable, empty, the encoding is unknown or its
  // bytes do not fit, and, without an encoding, at the first byte that is not
  // UTF-8 ("FILE:LINE: not valid UTF-8 ...").
  explicit CsvReader(const std::filesystem::path& path, const std::string& encoding = "");

  const std::vector<std::string>& header() const { return header_; }
  // Index of the column named `name` (case-insensitive), or -1.
  int column(std::string_view name) const;
  // Throws storage::InputError naming the file when a column is missing.
  void require_columns(const std::vector<std::string>& names) const;

  // Reads the next record into `fields` (padded with empty strings to the
  // header's width); `line` is the 1-based line it starts on. False at end.
  bool next(std::vector<std::string>& fields, int& line);

  const std::filesystem::path& path() const { return path_; }
  // "FILE:LINE: message", the form every import error takes.
  std::string where(int line, const std::string& message) const;

 private:
  bool read_record(std::vector<std::string>& fields, int& line);
  void decode(const std::string& encoding);

  std::filesystem::path path_;
  std::string data_;
  size_t pos_ = 0;
  int line_ = 1;
  char delimiter_ = ',';
  std::vector<std::string> header_;
};

// An input date, ISO YYYY-MM-DD or Vietnamese dd/mm/yyyy (also d/m/yyyy,
// '-' or '.' separated), as ISO; nullopt when malformed or not a real day.
std::optional<std::string> parse_date(std::string_view text);

// Today's date in local time, ISO.
std::string today_iso();

}  // namespace sohoa::registry
