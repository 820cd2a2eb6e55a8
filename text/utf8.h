// Bytes that should be UTF-8 but may not be: file names, imported files.
// A leaf library: it depends on ICU only.
#pragma once

#include <string>
#include <string_view>

namespace sohoa::text {

// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or code
// points past U+10FFFF).
// Appends code point `c` to `out` in UTF-8 (1 to 4 bytes; `c` ≤ U+10FFFF).
void append_utf8(std::string& out, char32_t c);

bool is_valid_utf8(std::string_view bytes);

// Byte offset of the first byte that is not part of well-formed UTF-8, or
// std::string_view::npos when all is valid.
std::size_t first_invalid_utf8(std::string_view bytes);

// `bytes` with each byte that is not part of well-formed UTF-8 replaced by
// U+FFFD (SPEC: how paths that are not UTF-8 are printed). Valid text comes
// back unchanged.
std::string valid_utf8(std::string_view bytes);

// `bytes` made fit for one line of a message: valid_utf8, then control
// characters escaped C-style ("\n", "\r", "\t", "\x1b"), so a file name with
// a newline cannot split a line.
std::string one_line(std::string_view bytes);

// `bytes` in the character set `encoding` (an ICU converter name or alias:
// "windows-1258", "latin1", "cp1252", "utf-8"...) converted to UTF-8.
// Throws std::invalid_argument for an unknown encoding and std::runtime_error
// naming the byte offset for bytes that are not valid in that encoding.
std::string to_utf8(std::string_view bytes, const std::string& encoding);

// True when ICU knows a converter by that name.
bool is_known_encoding(const std::string& encoding);

}  // namespace sohoa::text
