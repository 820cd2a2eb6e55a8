// What every command prints: JSON lines and names that may not be UTF-8.
#include "cli/command.h"
#include "text/utf8.h"

namespace sohoa::cli {
namespace {

template <class Json>
void make_valid_utf8(Json& value) {
  if (value.is_string()) {
    auto& s = value.template get_ref<std::string&>();
    if (!text::is_valid_utf8(s)) s = text::valid_utf8(s);
  } else if (value.is_object()) {
    // Keys are ours (ASCII); only values come from outside.
    for (auto& [key, member] : value.items()) make_valid_utf8(member);
  } else if (value.is_array()) {
    for (auto& member : value) make_valid_utf8(member);
  }
}

template <class Json>
std::string dump_valid(Json value) {
  make_valid_utf8(value);
  return value.dump();
}

}  // namespace

std::string json_line(nlohmann::ordered_json value) { return dump_valid(std::move(value)); }
std::string json_line(nlohmann::json value) { return dump_valid(std::move(value)); }

std::string printable(const std::string& text) { return text::one_line(text); }

}  // namespace sohoa::cli
