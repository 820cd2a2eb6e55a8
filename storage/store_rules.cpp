#include "storage/store_rules.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "text/vntext.h"

namespace sohoa::storage {
namespace {

bool is_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

std::string json_list(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

std::vector<std::string> parse_json_list(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::string number_key(const std::string& number) {
  std::string folded = number;
  if (is_ascii(number)) {
    for (char& c : folded) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    folded = text::fold(number);
  }
  std::string out;
  for (char c : folded) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

std::string nfc_fast(const std::string& s) { return is_ascii(s) ? s : text::nfc(s); }

bool valid_status(const std::string& status) {
  return status == "ok" || status == "review" || status == "failed";
}

void order_fields(std::vector<Field>& fields) {
  const auto& names = metadata_field_names();
  auto rank = [&](const Field& f) {
    auto it = std::find(names.begin(), names.end(), f.name);
    return static_cast<size_t>(it - names.begin());
  };
  std::stable_sort(fields.begin(), fields.end(), [&](const Field& a, const Field& b) {
    size_t ra = rank(a), rb = rank(b);
    return ra != rb ? ra < rb : a.name < b.name;
  });
}

std::string field_value(const std::vector<Field>& fields, const std::string& name) {
  for (const Field& f : fields) {
    if (f.name == name) return f.value;
  }
  return {};
}

std::string search_meta(const std::vector<Field>& fields) {
  std::string meta;
  for (const Field& f : fields) {
    if (f.value.empty()) continue;
    if (!meta.empty()) meta += '\n';
    // Lists (citizen_ids, recipients) are kept as JSON arrays of strings.
    std::vector<std::string> items =
        f.value.front() == '[' ? parse_json_list(f.value) : std::vector<std::string>{};
    for (size_t i = 0; i < items.size(); ++i) meta += (i > 0 ? " " : "") + items[i];
    if (items.empty()) meta += f.value;
  }
  return meta;
}

std::vector<std::string> successor_chain(const std::map<std::string, std::string>& next,
                                         const std::string& code) {
  std::vector<std::string> out;
  for (auto it = next.find(code); it != next.end(); it = next.find(it->second)) {
    if (it->second == code || std::find(out.begin(), out.end(), it->second) != out.end()) break;
    out.push_back(it->second);
  }
  return out;
}

}  // namespace sohoa::storage
