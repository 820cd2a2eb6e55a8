#include "text/utf8.h"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace sohoa::text {

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at `i`, or 0 when the byte there
// starts none.
int32_t sequence_length(std::string_view s, int32_t i) {
  int32_t next = i;
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), next, static_cast<int32_t>(s.size()), c);
  return c < 0 ? 0 : next - i;
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, ConverterCloser>;

Converter open_converter(const std::string& encoding) {
  UErrorCode status = U_ZERO_ERROR;
  Converter c(ucnv_open(encoding.c_str(), &status));
  if (U_FAILURE(status) || !c) throw std::invalid_argument("unknown encoding '" + encoding + "'");
  return c;
}

}  // namespace

std::size_t first_invalid_utf8(std::string_view bytes) {
  if (bytes.size() > INT32_MAX) throw std::length_error("text too long");
  for (int32_t i = 0; i < static_cast<int32_t>(bytes.size());) {
    int32_t n = sequence_length(bytes, i);
    if (n == 0) return static_cast<std::size_t>(i);
    i += n;
  }
  return std::string_view::npos;
}

bool is_valid_utf8(std::string_view bytes) {
  return first_invalid_utf8(bytes) == std::string_view::npos;
}

std::string valid_utf8(std::string_view bytes) {
  if (is_valid_utf8(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 8);
  for (int32_t i = 0; i < static_cast<int32_t>(bytes.size());) {
    int32_t n = sequence_length(bytes, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(bytes.substr(static_cast<size_t>(i), static_cast<size_t>(n)));
      i += n;
    }
  }
  return out;
}

std::string one_line(std::string_view bytes) {
  std::string text = valid_utf8(bytes);
  std::string out;
  out.reserve(text.size());
  static const char* const kHex = "0123456789abcdef";
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

bool is_known_encoding(const std::string& encoding) {
  try {
    open_converter(encoding);
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

std::string to_utf8(std::string_view bytes, const std::string& encoding) {
  Converter c = open_converter(encoding);
  UErrorCode status = U_ZERO_ERROR;
  // A byte with no character in that encoding is an error, not U+FFFD: a
  // wrong --encoding must not import replacement characters silently.
  ucnv_setToUCallBack(c.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU: cannot set up the converter");
  std::vector<UChar> utf16(bytes.size() * 2 + 16);
  const char* src = bytes.data();
  int32_t length = ucnv_toUChars(c.get(), utf16.data(), static_cast<int32_t>(utf16.size()), src,
                                 static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) {
    throw std::runtime_error("bytes not valid in " + encoding);
  }
  std::string out(static_cast<size_t>(length) * 3, '\0');
  int32_t written = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &written, utf16.data(), length,
              &status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU: UTF-8 conversion failed");
  out.resize(static_cast<size_t>(written));
  return out;
}

}  // namespace sohoa::text
