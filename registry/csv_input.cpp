#include "registry/csv_input.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <fstream>
#include <sstream>

#include "storage/database.h"
#include "text/utf8.h"
#include "text/vntext.h"

namespace sohoa::registry {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// The header's delimiter: whichever of ';' and ',' it has more of, outside quotes.
char guess_delimiter(std::string_view data) {
  int commas = 0, semicolons = 0;
  bool quoted = false;
  for (char c : data) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    commas += c == ',';
    semicolons += c == ';';
  }
  return semicolons > commas ? ';' : ',';
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool real_day(int y, int m, int d) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  return d <= days[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
}

// Splits "a<sep>b<sep>c" into three runs of digits; false otherwise.
bool three_numbers(std::string_view s, char sep, std::string_view out[3]) {
  size_t first = s.find(sep);
  if (first == std::string_view::npos) return false;
  size_t second = s.find(sep, first + 1);
  if (second == std::string_view::npos) return false;
  out[0] = s.substr(0, first);
  out[1] = s.substr(first + 1, second - first - 1);
  out[2] = s.substr(second + 1);
  for (int i = 0; i < 3; ++i) {
    if (out[i].empty() || out[i].size() > 4) return false;
    if (!std::all_of(out[i].begin(), out[i].end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
  }
  return true;
}

int number(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

CsvReader::CsvReader(const std::filesystem::path& path, const std::string& encoding) : path_(path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw storage::InputError(path.string() + ": cannot read file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  data_ = std::move(bytes).str();
  decode(encoding);
  if (data_.rfind("\xEF\xBB\xBF", 0) == 0) pos_ = 3;
  delimiter_ = guess_delimiter(std::string_view(data_).substr(pos_));
  int line = 0;
  if (!read_record(header_, line)) throw storage::InputError(path.string() + ": empty file");
  for (std::string& name : header_) name = lower_ascii(name);
}

// Office software exports Windows-1258 or Latin-1 as often as UTF-8; read as
// UTF-8 every accented byte would turn into U+FFFD and no row would match.
void CsvReader::decode(const std::string& encoding) {
  std::string name = lower_ascii(encoding);
  if (!name.empty() && name != "utf-8" && name != "utf8") {
    try {
      // Windows-1258 writes tone marks as combining characters: NFC, as
      // everything sohoa stores, so keys compare equal to typed ones.
      data_ = text::nfc(text::to_utf8(data_, encoding));
    } catch (const std::invalid_argument&) {
      throw storage::InputError(path_.string() + ": unknown encoding '" + encoding +
                                "' (e.g. windows-1258, latin1, cp1252, utf-8)");
    } catch (const std::exception&) {
      throw storage::InputError(path_.string() + ": bytes that are not " + encoding +
                                "; check --encoding");
    }
    return;
  }
  size_t bad = text::first_invalid_utf8(data_);
  if (bad == std::string::npos) return;
  int line =
      1 + static_cast<int>(std::count(data_.begin(), data_.begin() + static_cast<long>(bad), '\n'));
  static const char* const kHex = "0123456789ABCDEF";
  auto byte = static_cast<unsigned char>(data_[bad]);
  std::string hex = {'0', 'x', kHex[byte >> 4], kHex[byte & 0xF]};
  throw storage::InputError(where(line, "not valid UTF-8 (byte " + hex +
                                            "); give the file's encoding, e.g. "
                                            "--encoding windows-1258"));
}

int CsvReader::column(std::string_view name) const {
  auto it = std::find(header_.begin(), header_.end(), lower_ascii(name));
  return it == header_.end() ? -1 : static_cast<int>(it - header_.begin());
}

void CsvReader::require_columns(const std::vector<std::string>& names) const {
  for (const std::string& name : names) {
    if (column(name) < 0) throw storage::InputError(where(1, "missing column \"" + name + "\""));
  }
}

std::string CsvReader::where(int line, const std::string& message) const {
  return path_.string() + ":" + std::to_string(line) + ": " + message;
}

bool CsvReader::next(std::vector<std::string>& fields, int& line) {
  // Spreadsheets pad exports with rows of empty cells (";;;;"): not records.
  do {
    if (!read_record(fields, line)) return false;
  } while (
      std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return f.empty(); }));
  if (fields.size() < header_.size()) fields.resize(header_.size());
  return true;
}

bool CsvReader::read_record(std::vector<std::string>& fields, int& line) {
  // Skip blank lines.
  while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= data_.size()) return false;
  line = line_;
  size_t used = 0;
  auto field = [&]() -> std::string& {
    if (used == fields.size()) fields.emplace_back();
    std::string& f = fields[used++];
    f.clear();
    return f;
  };
  for (;;) {
    std::string& f = field();
    size_t start = pos_;
    while (pos_ < data_.size() && (data_[pos_] == ' ' || data_[pos_] == '\t')) ++pos_;
    if (pos_ < data_.size() && data_[pos_] == '"') {
      ++pos_;
      for (;;) {
        size_t quote = data_.find('"', pos_);
        if (quote == std::string::npos) {
          f.append(data_, pos_, std::string::npos);
          pos_ = data_.size();
          break;
        }
        f.append(data_, pos_, quote - pos_);
        line_ += static_cast<int>(std::count(data_.begin() + static_cast<long>(pos_),
                                             data_.begin() + static_cast<long>(quote), '\n'));
        pos_ = quote + 1;
        if (pos_ < data_.size() && data_[pos_] == '"') {
          f += '"';
          ++pos_;
          continue;
        }
        break;
      }
      while (pos_ < data_.size() && data_[pos_] != delimiter_ && data_[pos_] != '\n') ++pos_;
    } else {
      pos_ = start;
      size_t end = pos_;
      while (end < data_.size() && data_[end] != delimiter_ && data_[end] != '\n') ++end;
      f = trim(std::string_view(data_).substr(pos_, end - pos_));
      pos_ = end;
    }
    if (pos_ < data_.size() && data_[pos_] == delimiter_) {
      ++pos_;
      continue;
    }
    if (pos_ < data_.size()) {  // '\n'
      ++pos_;
      ++line_;
    }
    break;
  }
  fields.resize(used);
  return true;
}

std::optional<std::string> parse_date(std::string_view text) {
  std::string_view s = trim(text);
  std::string_view parts[3];
  int y = 0, m = 0, d = 0;
  if (s.size() == 10 && three_numbers(s, '-', parts) && parts[0].size() == 4) {
    y = number(parts[0]);
    m = number(parts[1]);
    d = number(parts[2]);
  } else if ((three_numbers(s, '/', parts) || three_numbers(s, '-', parts) ||
              three_numbers(s, '.', parts)) &&
             parts[2].size() == 4 && parts[0].size() <= 2 && parts[1].size() <= 2) {
    d = number(parts[0]);
    m = number(parts[1]);
    y = number(parts[2]);
  } else {
    return std::nullopt;
  }
  if (!real_day(y, m, d)) return std::nullopt;
  char iso[32];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
  return std::string(iso);
}

std::string today_iso() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char iso[32];
  std::strftime(iso, sizeof iso, "%Y-%m-%d", &local);
  return iso;
}

}  // namespace sohoa::registry
