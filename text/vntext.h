// Vietnamese text helpers shared by every layer: normalization and folding.
// A leaf library: it depends on ICU only.
#pragma once

#include <string>
#include <string_view>

namespace sohoa::text {

// Unicode NFC: the one form sohoa stores. Invalid UTF-8 bytes become U+FFFD.
std::string nfc(std::string_view utf8);

// The search key of a text: NFC, lower case, accents and tone marks removed,
// "đ"/"Đ" folded to "d". "Quyết Định" -> "quyet dinh". Non-letters are kept.
std::string fold(std::string_view utf8);

// Lower case (full Unicode), NFC, accents kept: "QUYẾT" -> "quyết".
std::string lower(std::string_view utf8);

// Upper case (full Unicode), NFC, accents kept.
std::string upper(std::string_view utf8);

// Runs of white space (any Unicode space, tab, newline) become one ASCII space;
// leading and trailing space removed.
std::string collapse_spaces(std::string_view utf8);

// True when the text has a letter whose fold differs from its lower case
// (an accent, a tone mark or "đ").
bool has_accents(std::string_view utf8);

// Number of Unicode code points.
std::size_t length(std::string_view utf8);

}  // namespace sohoa::text
